package io.qmpd.chardev;

import io.qmpd.io.EventLoop;
import io.qmpd.qapi.QmpException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A character device: a named byte pipe with at most one frontend.
 *
 * <p>Threads: {@link #attach}, {@link #detach}, {@link #write}, {@link #acceptInput} and
 * {@link #disconnect} may be called from any thread; everything they change on the backend side
 * happens on the chardev's loop thread ({@link #executor()}). Frontend callbacks run only there.
 * A backend that reads on a thread of its own hands input over through the executor and keeps
 * what the frontend leaves in a {@link KeptInput}.
 */
public abstract class Chardev implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Chardev.class);

    /** The logfile (QEMU's {@code logfile} option); written on the dispatcher, read by writers on any thread. */
    private volatile FileChannel logfile;

    private final String id;
    private final EventLoop loop;
    private final Executor executor;
    /** The frontend slot: set by attach/detach (any thread, serialized by the dispatcher). */
    private volatile ChardevFrontend frontend;
    /**
     * Loop thread only: the frontend callbacks go to. It follows the slot through loop tasks, so
     * a frontend hears {@code opened} before any input, and nothing after its detach task ran.
     */
    private ChardevFrontend active;

    /** A chardev of a backend's own, served where {@code context} says. */
    protected Chardev(String id, ChardevContext context) {
        this(id, context.loop());
    }

    Chardev(String id, EventLoop loop) {
        this.id = Objects.requireNonNull(id, "id");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.executor = loop::execute;
    }

    /** QEMU's label: the id given at creation. */
    public final String id() {
        return id;
    }

    /** Runs tasks on the chardev's loop thread, in order: where frontend callbacks run. */
    public final Executor executor() {
        return executor;
    }

    final EventLoop loop() {
        return loop;
    }

    /** The backend kind as {@code query-chardev-backends} names it: {@code socket}, {@code null}, ... */
    public abstract String backendKind();

    /** The {@code filename} member of {@code query-chardev}, in QEMU's exact form. */
    public String filename() {
        // QEMU's default: backends without an address show their type name.
        return backendKind();
    }

    /** Whether a client is connected (QEMU's be_open). */
    public abstract boolean isOpen();

    /**
     * Whether this backend can serve a monitor from the I/O thread (QEMU's GCONTEXT feature);
     * only then does a QMP monitor on it offer the {@code oob} capability.
     */
    public boolean supportsIoThread() {
        return false;
    }

    /**
     * The frontend's output: copied to the logfile, if any, then queued for the connected client;
     * bytes written while no client is connected are dropped, as in QEMU.
     */
    public final void write(byte[] bytes) {
        FileChannel copy = logfile;
        if (copy != null) {
            try {
                copy.write(ByteBuffer.wrap(bytes));
            } catch (IOException e) {
                logFailed(e);
            }
        }
        output(bytes);
    }

    /** The backend's part of {@link #write}. */
    protected abstract void output(byte[] bytes);

    /**
     * Copies everything the frontend writes into {@code file} from now on (QEMU's {@code logfile}
     * option); the chardev closes it with itself.
     */
    public final void logTo(FileChannel file) {
        logfile = file;
    }

    private void logFailed(IOException e) {
        log.warn("chardev {}: cannot write its logfile", id, e);
    }

    /** The frontend consumed input again: offer the kept bytes, then read from the client again. */
    public void acceptInput() {
        // Backends that never deliver input have nothing to resume.
    }

    /** Drops the connected client, if any (the frontend then gets {@link ChardevFrontend#closed()}). */
    public void disconnect() {
        // Backends without a client have nobody to drop.
    }

    /**
     * The first descriptor that arrived with the latest descriptor-bearing read (QEMU's
     * {@code qemu_chr_fe_get_msgfd}); the caller owns it. Others that came with it are closed.
     * Any thread. Backends that cannot receive descriptors have none.
     */
    public Optional<FileDescriptor> takeReceivedFd() {
        return Optional.empty();
    }

    public final boolean hasFrontend() {
        return frontend != null;
    }

    /**
     * The frontend callbacks go to, or null. Backends call it on the loop thread only; it is set
     * by the loop task of {@link #attach} (which first synthesizes {@code opened} if the backend
     * is open), so input read before that task waits for it.
     */
    protected final ChardevFrontend frontend() {
        return active;
    }

    /**
     * Makes {@code fe} this chardev's frontend. If the backend is open, {@code fe.opened()} follows
     * on the loop thread, and reading starts.
     *
     * @throws QmpException {@code chardev '<id>' is already in use}
     */
    public final synchronized void attach(ChardevFrontend fe) {
        Objects.requireNonNull(fe, "fe");
        if (frontend != null) {
            throw QmpException.generic("chardev '" + id + "' is already in use");
        }
        frontend = fe;
        loop.execute(() -> {
            if (frontend == fe) {
                active = fe;
                if (isOpen()) {
                    fe.opened();
                }
                // Input that arrived before anyone listened is offered now.
                acceptInput();
            }
        });
    }

    /**
     * Releases the frontend slot. The returned future completes on the loop thread once no
     * callback of the old frontend can run any more; the chardev itself stays.
     */
    public final synchronized CompletableFuture<Void> detach() {
        frontend = null;
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (loop.inEventLoop()) {
            active = null;
            done.complete(null);
        } else {
            loop.execute(() -> {
                active = null; // an attach queued after this detach sets it again
                done.complete(null);
            });
        }
        return done;
    }

    /**
     * Whether {@link #close()} returns at once on any thread, the event loop's included: it
     * neither blocks nor waits for another thread. Then {@code chardev-remove} may run inline
     * (ADR 7). True unless a backend overrides {@code close} with a wait.
     */
    public boolean closesAtOnce() {
        return true;
    }

    /** Closes the backend and its logfile: drops the client, stops listening, releases every descriptor. */
    @Override
    public final void close() {
        try {
            closeBackend();
        } finally {
            FileChannel copy = logfile;
            logfile = null;
            if (copy != null) {
                try {
                    copy.close();
                } catch (IOException e) {
                    logFailed(e);
                }
            }
        }
    }

    /** The backend's part of {@link #close}; backends that hold no descriptor or thread release nothing. */
    protected void closeBackend() {}
}
