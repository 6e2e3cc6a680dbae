package io.qmpd.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector thread (QEMU's monitor I/O thread): reads, parses and writes for every channel
 * registered with it, and runs tasks handed to it from other threads.
 *
 * <p>Thread confinement: the selector, every {@link SelectionKey} and everything a
 * {@link Handler} touches belong to the loop thread. Other threads talk to the loop only through
 * {@link #execute(Runnable)}.
 */
public final class EventLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

    /** Called on the loop thread when a registered channel is ready for the operations of its key. */
    @FunctionalInterface
    public interface Handler {
        void ready(SelectionKey key) throws IOException;
    }

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /** Scratch space for socket reads; loop thread only. Backends keep only what a frontend leaves unconsumed. */
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    /** Loop thread only: made on first use; empty when descriptor passing is unavailable. */
    private Optional<DescriptorReader> descriptorReader;

    private volatile boolean closing;
    /** Set when the loop thread ended on an error; tasks handed over later run on the caller. */
    private volatile boolean died;

    private final FatalErrorHandler fatal;
    /** Loop thread only. */
    private final PollWindow pollWindow;
    /** Loop thread only: the last iteration handled a key, a task or a timer. */
    private boolean worked;
    /** Loop thread only: scheduled tasks by deadline (System.nanoTime), then by order of scheduling. */
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();

    private final AtomicLong timerSeq = new AtomicLong();

    /** A scheduled task; {@link #cancel()} may be called from any thread. */
    public static final class Timer implements Comparable<Timer> {
        private final long deadline;
        private final long seq;
        private final Runnable task;
        private volatile boolean cancelled;

        private Timer(long deadline, long seq, Runnable task) {
            this.deadline = deadline;
            this.seq = seq;
            this.task = task;
        }

        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    public EventLoop(String threadName) {
        this(threadName, 0, FatalErrorHandler.LOG_ONLY);
    }

    /**
     * A loop that, after handling some work, may keep polling the selector before it sleeps in
     * it, for a window of up to {@code pollMaxNanos} that adapts to how soon work has been coming
     * ({@link PollWindow}). The next request of a client that is waiting for a reply then finds
     * the loop awake, which saves the wake-up (a cross-CPU interrupt and a context switch) at the
     * cost of the CPU the poll spends. 0: never poll.
     *
     * <p>A task, timer or handler that throws a {@link RuntimeException} is logged and the loop
     * goes on; an {@link Error} (or a failing selector) ends the loop: it is logged, tasks still
     * queued run on the dying thread, later ones on their caller, and {@code fatal} is told.
     */
    public EventLoop(String threadName, long pollMaxNanos, FatalErrorHandler fatal) {
        this.fatal = Objects.requireNonNull(fatal, "fatal");
        this.pollWindow = new PollWindow(pollMaxNanos);
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop thread, after the tasks already handed over. */
    public void execute(Runnable task) {
        if (closing) {
            throw new IllegalStateException("state: closed");
        }
        tasks.add(task);
        if (died) {
            runTasksAfterDeath(); // the loop may have ended between the check and the add
        } else if (!inEventLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Whether the loop thread ended on an error ({@link FatalErrorHandler}). */
    public boolean hasDied() {
        return died;
    }

    /** Runs {@code task} on the loop thread after at least {@code delayMillis}; any thread. */
    public Timer schedule(long delayMillis, Runnable task) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis));
        Timer t = new Timer(deadline, timerSeq.getAndIncrement(), Objects.requireNonNull(task, "task"));
        if (inEventLoop()) {
            timers.add(t);
        } else {
            execute(() -> timers.add(t));
        }
        return t;
    }

    /** Registers a channel; must be called on the loop thread. The channel is switched to non-blocking mode. */
    public SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws IOException {
        assert inEventLoop() : "register off the loop thread";
        channel.configureBlocking(false);
        try {
            return channel.register(selector, ops, handler);
        } catch (ClosedChannelException e) {
            throw new IOException("channel closed before registration", e);
        }
    }

    /** The loop's read buffer, cleared; valid until the handler returns. Loop thread only. */
    public ByteBuffer readBuffer() {
        assert inEventLoop() : "readBuffer off the loop thread";
        return readBuffer.clear();
    }

    /** The loop's reader of unix sockets that keeps SCM_RIGHTS descriptors. Loop thread only. */
    public Optional<DescriptorReader> descriptorReader() {
        assert inEventLoop() : "descriptorReader off the loop thread";
        if (descriptorReader == null) {
            descriptorReader = DescriptorReader.create();
        }
        return descriptorReader;
    }

    /** Completes once the loop thread has ended and the selector is closed. */
    public CompletableFuture<Void> terminationFuture() {
        return terminated;
    }

    /** Stops the loop after the tasks already handed over; the channels stay open (their owners close them). */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        selector.wakeup();
        if (!inEventLoop()) {
            terminated.join();
        }
    }

    private void run() {
        try {
            while (!closing) {
                Timer next = timers.peek();
                long waitNanos = next == null ? Long.MAX_VALUE : next.deadline - System.nanoTime();
                if (!tasks.isEmpty() || waitNanos <= 0) {
                    // Tasks queued by the loop itself (say, a flush a key handler scheduled) run
                    // now: execute() does not wake the selector from the loop thread.
                    selector.selectNow();
                } else {
                    awaitWork(waitNanos);
                }
                wakeupPending.set(false);
                worked = runTasks() | runTimers();
                var keys = selector.selectedKeys();
                worked |= !keys.isEmpty();
                for (var it = keys.iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    dispatch(key);
                }
            }
            runTasks();
        } catch (Throwable e) { // an Error out of a task or handler, or a failing selector
            died = true;
            FatalErrorHandler.log(
                    log, "event loop " + thread.getName() + " died; its channels are no longer served", e);
            runTasksAfterDeath();
            fatal.died(thread.getName(), e);
        } finally {
            try {
                selector.close();
            } catch (IOException e) {
                log.debug("closing selector", e);
            }
            terminated.complete(null);
        }
    }

    /**
     * After the loop died: runs what was handed over (a detach, a close), so that whoever waits
     * for it is not left waiting; nothing is served any more, so confinement no longer matters.
     */
    private void runTasksAfterDeath() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("task failed after {} died", thread.getName(), e);
            }
        }
    }

    /**
     * Waits for a key, a task, {@link #close()} or the timer due in {@code waitNanos}
     * ({@link Long#MAX_VALUE}: none). After an iteration that worked, it first polls for the
     * current window and then teaches the window how long the wait was.
     */
    private void awaitWork(long waitNanos) throws IOException {
        if (!worked || !pollWindow.enabled()) {
            select(waitNanos);
            return;
        }
        long start = System.nanoTime();
        if (!pollFor(Math.min(pollWindow.nanos(), waitNanos), start)) {
            select(waitNanos == Long.MAX_VALUE ? waitNanos : waitNanos - (System.nanoTime() - start));
        }
        pollWindow.idled(System.nanoTime() - start);
    }

    private void select(long waitNanos) throws IOException {
        if (waitNanos <= 0) {
            selector.selectNow();
        } else if (waitNanos == Long.MAX_VALUE) {
            selector.select();
        } else {
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)));
        }
    }

    /**
     * Polls the selector without sleeping from {@code start} for up to {@code nanos}; true once
     * a key is selected, a task is queued or the loop is closing.
     */
    private boolean pollFor(long nanos, long start) throws IOException {
        while (System.nanoTime() - start < nanos) {
            // selectNow() may consume the wake-up of an execute() or close(): what that wake-up
            // was for is looked at here, after the flag is cleared, so that the next execute()
            // gives a wake-up of its own; nothing is left to a select() that would sleep
            int selected = selector.selectNow();
            wakeupPending.set(false);
            if (selected > 0 || !tasks.isEmpty() || closing) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    /** Whether a task ran. */
    private boolean runTasks() {
        boolean ran = false;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            ran = true;
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("task failed on {}", thread.getName(), e);
            }
        }
        return ran;
    }

    /** Whether a timer ran. */
    private boolean runTimers() {
        boolean ran = false;
        long now = System.nanoTime();
        Timer t;
        while ((t = timers.peek()) != null && t.deadline - now <= 0) {
            timers.poll();
            if (!t.cancelled) {
                ran = true;
                try {
                    t.task.run();
                } catch (RuntimeException e) {
                    log.error("timer failed on {}", thread.getName(), e);
                }
            }
        }
        return ran;
    }

    private static void dispatch(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        try {
            ((Handler) key.attachment()).ready(key);
        } catch (IOException | RuntimeException e) {
            log.warn("I/O handler failed", e);
            key.cancel();
        }
    }
}
