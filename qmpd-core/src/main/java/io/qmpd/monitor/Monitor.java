package io.qmpd.monitor;

import io.qmpd.chardev.Chardev;
import io.qmpd.chardev.ChardevFrontend;
import io.qmpd.io.NameMemory;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What every monitor has (QEMU's {@code Monitor}): an optional id, the chardev it is the frontend
 * of, whether it was added at run time, its mode, and the descriptors its client named with
 * {@code getfd}. Subclasses hold the protocol state.
 *
 * <p>The dispatcher serves monitors through {@link #takeJob()}; a monitor tells the dispatcher
 * it has work with {@link Dispatcher#wake(Monitor)}.
 */
public abstract class Monitor implements ChardevFrontend {

    private final String id;
    private final Chardev chardev;
    private final boolean dynamic;
    /** Set on the dispatcher when the monitor leaves the server; read by the dispatcher's wake (any thread). */
    private volatile boolean removed;

    private final MonitorFds fds;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

    /** @param names what the names of the monitor's {@code getfd} descriptors are charged to */
    protected Monitor(String id, Chardev chardev, boolean dynamic, NameMemory names) {
        this.id = id;
        this.chardev = Objects.requireNonNull(chardev, "chardev");
        this.dynamic = dynamic;
        this.fds = new MonitorFds(names);
    }

    /** The monitor's id, or null for a command-line monitor given none. */
    public final String id() {
        return id;
    }

    public final Chardev chardev() {
        return chardev;
    }

    /** Whether the monitor was added at run time (only those may be removed by {@code monitor-remove}). */
    public final boolean dynamic() {
        return dynamic;
    }

    public abstract MonitorMode mode();

    /** This monitor as {@code query-monitors} lists it. */
    public final MonitorInfo info() {
        return new MonitorInfo(id, mode(), chardev.id(), dynamic);
    }

    /** The descriptors this monitor's client passed and named with {@code getfd}. */
    public final MonitorFds fds() {
        return fds;
    }

    /**
     * Completes once the monitor is fully gone after {@link #destroy()}: detached from its
     * chardev, its queued input dropped, its client disconnected and its descriptors closed.
     */
    public final CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    /** Whether the monitor has left the server; the dispatcher never serves it again. */
    public final boolean isRemoved() {
        return removed;
    }

    final void markRemoved() {
        removed = true;
    }

    /**
     * Dispatcher thread: removes the oldest queued request and returns the work that answers it,
     * or null if the queue is empty (it may have been flushed by a disconnect meanwhile).
     */
    protected abstract Runnable takeJob();

    /** Whether requests are queued (any thread). */
    protected abstract boolean hasJobs();

    /**
     * Removal, step "unlink" (dispatcher thread): from now on the monitor sends no events, even
     * from a broadcast that took its snapshot of the monitor list before the unlink. Replies of a
     * request already running (a monitor removing itself) are still written. Default: nothing.
     */
    protected void retire() {}

    /**
     * Removal, step "drop queued requests" (loop thread, after the chardev was detached, so no
     * input can arrive any more): queued requests and partial input are forgotten, never answered
     * and never run. Default: nothing.
     */
    protected void dropInput() {}

    /**
     * Removal, step "destroy" (dispatcher thread, after {@link Dispatcher#forget}; or the server's
     * teardown): releases the chardev at once (a new monitor may attach right away), drops the
     * queue on the loop thread, then drops a connected client. The loop runs these in order,
     * before the set-up of any monitor attached later, so a later monitor never greets the old
     * client. The descriptors the client named are closed; {@link #closeFuture()} completes once
     * the loop has done its part.
     */
    public final void destroy() {
        chardev.detach();
        chardev.executor().execute(this::dropInput);
        chardev.disconnect();
        fds.closeAll();
        chardev.executor().execute(() -> closeFuture.complete(null));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[id=" + id + ", chardev=" + chardev.id() + "]";
    }
}
