package io.qmpd.chardev;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input no selector can watch (a FIFO, a regular file, the process's stdin, a pty): a small daemon
 * thread reads it and hands each chunk to the chardev's frontend on the loop, and reads the next
 * chunk only after the frontend consumed the whole of this one (kept-input flow control, as the
 * socket backend's, ADR 3).
 */
final class InputPump {

    private static final Logger log = LoggerFactory.getLogger(InputPump.class);

    /** A blocking read: the count, 0 for nothing this time, -1 at the end. */
    @FunctionalInterface
    interface Source {
        int read(byte[] buf) throws IOException;
    }

    private final Chardev chardev;
    private final Source source;
    /** Released by the loop when the frontend took a whole chunk; the reader waits for it. */
    private final Semaphore consumed = new Semaphore(0);

    private final Thread reader;
    /** Loop thread only: the chunk the frontend left partly unconsumed. */
    private final KeptInput kept;

    private volatile boolean stopped;

    InputPump(Chardev chardev, Source source) {
        this.chardev = chardev;
        this.source = source;
        this.kept = new KeptInput(chardev);
        this.reader = new Thread(this::pump, "qmpd-chardev-" + chardev.backendKind() + "-" + chardev.id());
        reader.setDaemon(true);
        reader.start();
    }

    /** The frontend consumed input again: offer the kept chunk first. */
    void acceptInput() {
        if (chardev.loop().inEventLoop()) {
            offerKept();
        } else {
            chardev.loop().execute(this::offerKept);
        }
    }

    /** Ends the reader: it stops waiting for the frontend, and reads nothing more. */
    void stop() {
        stopped = true;
        reader.interrupt();
    }

    private void pump() {
        byte[] buf = new byte[4096];
        try {
            while (!stopped) {
                int n = source.read(buf);
                if (n < 0) {
                    return;
                }
                if (n > 0) {
                    ByteBuffer chunk = ByteBuffer.wrap(buf.clone(), 0, n);
                    chardev.loop().execute(() -> offer(chunk));
                    consumed.acquire();
                }
            }
        } catch (IOException e) {
            log.debug("chardev {}: read failed", chardev.id(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Loop thread. */
    private void offer(ByteBuffer chunk) {
        if (kept.offer(chunk)) {
            consumed.release();
        }
    }

    private void offerKept() {
        if (kept.offerKept()) {
            consumed.release();
        }
    }
}
