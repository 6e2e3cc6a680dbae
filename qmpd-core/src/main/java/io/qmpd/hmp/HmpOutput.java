package io.qmpd.hmp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What an HMP command line prints, as bytes for the terminal. Like QEMU's monitor output, every
 * {@code \n} goes out as {@code \r\n}. Text is encoded as UTF-8; readline echoes raw bytes.
 *
 * <p>Not thread-safe: one instance belongs to one command run or one batch of echo.
 */
public final class HmpOutput {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    /** Prints {@code text}, turning each line feed into CR LF. */
    public HmpOutput print(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        write(b, 0, b.length);
        return this;
    }

    /** Prints {@code text} and a line end. */
    public HmpOutput println(String text) {
        return print(text).print("\n");
    }

    /** Prints raw bytes (readline's echo of the line being edited), line feeds converted too. */
    public void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                bytes.write('\r');
            }
            bytes.write(b[i]);
        }
    }

    public boolean isEmpty() {
        return bytes.size() == 0;
    }

    /** The bytes printed so far. */
    public byte[] toBytes() {
        return bytes.toByteArray();
    }

    /** The bytes printed so far, read back as UTF-8 (what {@code human-monitor-command} returns). */
    public String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Forgets everything printed so far. */
    public void clear() {
        bytes.reset();
    }
}
