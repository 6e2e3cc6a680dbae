package io.qmpd.chardev;

import io.qmpd.io.EventLoop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code file}, {@code pipe} and {@code stdio} backends: output goes to a stream, input (if
 * any) comes from a stream that no selector can watch, read by an {@link InputPump}. Open from
 * creation, as in QEMU.
 *
 * <p>Output is written synchronously by the writer's thread, under this object's lock.
 */
public final class StreamChardev extends Chardev {

    private static final Logger log = LoggerFactory.getLogger(StreamChardev.class);

    private final String kind;
    private final OutputStream out;
    private final InputStream in;
    private final boolean closeStreams;
    /** Null without input. */
    private final InputPump pump;

    private volatile boolean closed;

    /**
     * @param kind         {@code file}, {@code pipe} or {@code stdio}: also the filename QEMU shows
     * @param in           input, or null for none
     * @param closeStreams whether close() closes the streams (not for the process's stdio)
     */
    public StreamChardev(
            String id, EventLoop loop, String kind, OutputStream out, InputStream in, boolean closeStreams) {
        super(id, loop);
        this.kind = kind;
        this.out = out;
        this.in = in;
        this.closeStreams = closeStreams;
        this.pump = in == null ? null : new InputPump(this, in::read);
    }

    @Override
    public String backendKind() {
        return kind;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean supportsIoThread() {
        // QEMU's fd-based backends (file, pipe, stdio) serve monitors from the I/O thread, so a
        // QMP monitor on them offers oob; here input reaches the frontend on the loop thread.
        return true;
    }

    @Override
    protected synchronized void output(byte[] bytes) {
        if (closed || out == null) {
            return;
        }
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            log.debug("chardev {}: write failed", id(), e);
        }
    }

    @Override
    public void acceptInput() {
        if (pump != null) {
            pump.acceptInput();
        }
    }

    @Override
    public void disconnect() {
        // a file or pipe has no client to drop
    }

    @Override
    public boolean closesAtOnce() {
        return false; // close waits for a writer blocked on a full pipe or file (it holds the lock)
    }

    @Override
    protected synchronized void closeBackend() {
        if (closed) {
            return;
        }
        closed = true;
        if (pump != null) {
            pump.stop();
        }
        if (closeStreams) {
            try {
                if (out != null) {
                    out.close();
                }
                if (in != null) {
                    in.close();
                }
            } catch (IOException e) {
                log.debug("chardev {}: close failed", id(), e);
            }
        }
    }
}
