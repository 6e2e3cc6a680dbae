package io.qmpd.bench;

import io.qmpd.chardev.Chardev;
import io.qmpd.chardev.ChardevFrontend;
import io.qmpd.io.EventLoop;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory chardev with one connected client, for the dispatch benchmark (a trimmed copy of
 * qmpd-core's test {@code TestChardev}): {@link #send} hands request bytes to the frontend on the
 * loop thread as a socket read would; every write the frontend makes lands in {@link #replies}.
 *
 * <p>Threads: {@link #connect} and {@link #send} may be called from any thread and run their work
 * on the loop; {@link #write} runs on whichever thread replies (under the monitor's output lock).
 */
public final class MemoryChardev extends Chardev {

    /** What the frontend wrote, one entry per write. */
    public final BlockingQueue<byte[]> replies = new ArrayBlockingQueue<>(1024);
    /** Loop thread only. */
    private boolean open;
    /** Loop thread only: input the frontend left, offered again on acceptInput. */
    private ByteBuffer kept;

    public MemoryChardev(String id, EventLoop loop) {
        super(id, loop);
    }

    @Override
    public String backendKind() {
        return "memory";
    }

    @Override
    public String filename() {
        return "memory";
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean supportsIoThread() {
        return true;
    }

    @Override
    public void write(byte[] bytes) {
        if (open) {
            replies.add(bytes);
        }
    }

    @Override
    public void acceptInput() {
        loop().execute(() -> {
            if (kept != null) {
                ByteBuffer b = kept;
                kept = null;
                offer(b);
            }
        });
    }

    @Override
    public void disconnect() {
        loop().execute(() -> open = false);
    }

    @Override
    public void close() {
        open = false;
    }

    /** The client connects; returns once the frontend's opened() has run. */
    public void connect() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop().execute(() -> {
            open = true;
            ChardevFrontend fe = frontend();
            if (fe != null) {
                fe.opened();
            }
            done.complete(null);
        });
        done.join();
    }

    /** The client writes {@code bytes}: handed to the frontend on the loop thread. */
    public void send(byte[] bytes) {
        loop().execute(() -> {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            if (kept != null) {
                kept = ByteBuffer.allocate(kept.remaining() + in.remaining()).put(kept).put(in).flip();
            } else {
                offer(in);
            }
        });
    }

    private void offer(ByteBuffer in) {
        ChardevFrontend fe = frontend();
        if (fe != null && open && in.hasRemaining()) {
            fe.received(in);
        }
        kept = in.hasRemaining() && open ? in : null;
    }
}
