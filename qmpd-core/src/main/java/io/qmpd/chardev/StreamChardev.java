package io.qmpd.chardev;

import io.qmpd.io.EventLoop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code file}, {@code pipe} and {@code stdio} backends: output goes to a stream, input (if
 * any) comes from a stream that no selector can watch (a FIFO, a regular file, the process's
 * stdin), so one small daemon thread per chardev reads it and hands each chunk to the loop; it
 * reads the next chunk only after the frontend consumed the previous one (kept-input flow
 * control, as the socket backend). Open from creation, as in QEMU.
 *
 * <p>Output is written synchronously by the writer's thread, under this object's lock.
 */
public final class StreamChardev extends Chardev {

    private static final Logger log = LoggerFactory.getLogger(StreamChardev.class);

    private final String kind;
    private final OutputStream out;
    private final InputStream in;
    private final boolean closeStreams;
    /** Released by the loop when the frontend took a whole chunk; the reader waits for it. */
    private final Semaphore consumed = new Semaphore(0);
    private Thread reader;
    /** Loop thread only: the chunk the frontend left partly unconsumed. */
    private ByteBuffer kept;
    private volatile boolean closed;

    /**
     * @param kind         {@code file}, {@code pipe} or {@code stdio}: also the filename QEMU shows
     * @param in           input, or null for none
     * @param closeStreams whether close() closes the streams (not for the process's stdio)
     */
    public StreamChardev(String id, EventLoop loop, String kind, OutputStream out, InputStream in,
                         boolean closeStreams) {
        super(id, loop);
        this.kind = kind;
        this.out = out;
        this.in = in;
        this.closeStreams = closeStreams;
        if (in != null) {
            reader = new Thread(this::pump, "qmpd-chardev-" + kind + "-" + id);
            reader.setDaemon(true);
            reader.start();
        }
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
        if (loop().inEventLoop()) {
            offerKept();
        } else {
            loop().execute(this::offerKept);
        }
    }

    @Override
    public void disconnect() {
        // a file or pipe has no client to drop
    }

    private void pump() {
        byte[] buf = new byte[4096];
        try {
            int n;
            while (!closed && (n = in.read(buf)) > 0) {
                ByteBuffer chunk = ByteBuffer.wrap(buf.clone(), 0, n);
                loop().execute(() -> offer(chunk));
                consumed.acquire();
            }
        } catch (IOException e) {
            log.debug("chardev {}: read failed", id(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Loop thread. */
    private void offer(ByteBuffer chunk) {
        ChardevFrontend fe = frontend();
        if (fe != null) {
            fe.received(chunk);
        }
        if (chunk.hasRemaining()) {
            kept = chunk;
        } else {
            kept = null;
            consumed.release();
        }
    }

    private void offerKept() {
        if (kept != null && frontend() != null) {
            offer(kept);
        }
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
        if (reader != null) {
            reader.interrupt();
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
