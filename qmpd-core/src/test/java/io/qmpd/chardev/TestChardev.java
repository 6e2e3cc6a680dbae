package io.qmpd.chardev;

import io.qmpd.io.EventLoop;
import io.qmpd.json.MemoryBound;
import io.qmpd.qapi.QmpException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An in-memory chardev for tests (like Netty's EmbeddedChannel): the test connects and
 * disconnects a pretend client and pushes input; every write the frontend makes while a client is
 * connected is recorded as one message. Input the frontend leaves unconsumed is kept, exactly as
 * {@link SocketChardev} does, until {@link #acceptInput()}.
 *
 * <p>Test-thread methods ({@link #connect}, {@link #hangUp}, {@link #send}) run their work on the
 * loop and wait for it, so when they return every synchronous effect (parsing, queuing, OOB
 * replies) has happened. {@link #sendAsync} hands the bytes over as a socket read would and
 * returns at once.
 *
 * <p>qmpd-core's test-jar carries this class alone, for qmpd-bench's {@code DispatchBenchmark}:
 * so it uses nothing but qmpd-core and the JDK (no AssertJ).
 */
public final class TestChardev extends Chardev {

    private final boolean ioThread;
    private final BlockingQueue<byte[]> written = new LinkedBlockingQueue<>();
    /** Loop thread only. */
    private boolean open;
    /** Loop thread only: input the frontend left, offered again on acceptInput. */
    private final KeptInput kept = new KeptInput(this);

    private volatile boolean closed;

    public TestChardev(String id, EventLoop loop, boolean ioThread) {
        super(id, loop);
        this.ioThread = ioThread;
    }

    /** As a backend of an embedder's makes it. */
    public TestChardev(String id, ChardevContext context, boolean ioThread) {
        super(id, context);
        this.ioThread = ioThread;
    }

    /** What a chardev backend gets from a server whose chardevs run on {@code loop} and that holds no descriptors. */
    public static ChardevContext context(EventLoop loop) {
        return new ChardevContext(
                loop,
                name -> {
                    throw QmpException.generic("no descriptors here");
                },
                new MemoryBound(1 << 20),
                List::of);
    }

    @Override
    public String backendKind() {
        return "test";
    }

    @Override
    public String filename() {
        return "test";
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean supportsIoThread() {
        return ioThread;
    }

    @Override
    protected void output(byte[] bytes) {
        // Called under the monitor's output lock: recording here keeps the call order.
        if (open && !closed) {
            written.add(bytes);
        }
    }

    @Override
    public void acceptInput() {
        loop().execute(kept::offerKept);
    }

    @Override
    public void disconnect() {
        loop().execute(this::drop);
    }

    @Override
    protected void closeBackend() {
        closed = true;
    }

    // ---- test side ----

    /** A client connects: the frontend's opened() has run when this returns. */
    public void connect() {
        onLoop(() -> {
            open = true;
            ChardevFrontend fe = frontend();
            if (fe != null) {
                fe.opened();
            }
            return null;
        });
    }

    /** The client goes away: the frontend's closed() has run when this returns. */
    public void hangUp() {
        onLoop(() -> {
            drop();
            return null;
        });
    }

    /** The client writes {@code text}; returns once the frontend has consumed what it will. */
    public void send(String text) {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void send(byte[] bytes) {
        onLoop(() -> {
            receive(bytes);
            return null;
        });
    }

    /** The client writes {@code bytes}; returns at once, the frontend gets them on the loop thread. */
    public void sendAsync(byte[] bytes) {
        loop().execute(() -> receive(bytes));
    }

    /** Bytes the frontend has left unconsumed (the chardev stopped reading). */
    public int keptBytes() {
        return onLoop(kept::size);
    }

    /** The next recorded message, waiting at most five seconds. */
    public String next() {
        return new String(nextBytes(), StandardCharsets.ISO_8859_1);
    }

    /** The next recorded message as the frontend wrote it, waiting at most five seconds. */
    public byte[] nextBytes() {
        try {
            byte[] m = written.poll(5, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("no message from the monitor on " + id() + " within 5 s");
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Messages recorded so far and not yet taken. */
    public int pending() {
        return written.size();
    }

    /** Runs on the loop and waits, so everything the loop had to do before is done too. */
    public <T> T onLoop(Supplier<T> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop().execute(() -> {
            try {
                f.complete(action.get());
            } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void receive(byte[] bytes) {
        if (!open) {
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (kept.isEmpty()) {
            if (!kept.offer(in) && !open) {
                kept.clear(); // the frontend hung up while reading: nothing is kept for the next client
            }
        } else {
            kept.append(in); // still waiting for acceptInput
        }
    }

    private void drop() {
        if (!open) {
            return;
        }
        open = false;
        kept.clear();
        ChardevFrontend fe = frontend();
        if (fe != null) {
            fe.closed();
        }
    }
}
