package io.qmpd.monitor;

import io.qmpd.io.FatalErrorHandler;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that runs every in-band command (QEMU's dispatcher coroutine under the big QEMU
 * lock). It serves monitors round robin: it takes the first monitor with queued requests, runs one
 * request, and puts the monitor at the tail if it still has requests. Other threads hand it tasks
 * with {@link #execute}/{@link #submit}; tasks and monitor turns alternate.
 *
 * <p>qmpd's big lock: registries and machine state change only on this thread, or on a thread
 * that {@link #runIfIdle borrows} it while it has nothing to do.
 *
 * <p>Thread-safe. {@link #current()} is meaningful on the dispatcher thread.
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private record Task(Runnable body, CompletableFuture<?> done) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    /** Guarded by lock: monitors with queued requests, in service order; each at most once. */
    private final LinkedHashSet<Monitor> ready = new LinkedHashSet<>();
    /** Guarded by lock. */
    private final ArrayDeque<Task> tasks = new ArrayDeque<>();
    /** Guarded by lock. */
    private boolean closing;
    /** Guarded by lock: the dispatcher thread is running a task or a request. */
    private boolean busy;
    /** Guarded by lock for writes: the thread running a job in the dispatcher's place, or null. */
    private volatile Thread borrower;

    private final Thread thread;
    private final FatalErrorHandler fatal;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /** Written by the dispatcher thread only. */
    private volatile Monitor current;

    public Dispatcher(String threadName) {
        this(threadName, FatalErrorHandler.LOG_ONLY);
    }

    /**
     * A task or request that throws a {@link RuntimeException} is logged and the dispatcher goes
     * on; an {@link Error} ends it: it is logged, pending {@link #submit} futures are cancelled,
     * and {@code fatal} is told.
     */
    public Dispatcher(String threadName, FatalErrorHandler fatal) {
        this.fatal = Objects.requireNonNull(fatal, "fatal");
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the caller holds the big lock: it is the dispatcher thread, or borrows it now. */
    public boolean inDispatcher() {
        Thread me = Thread.currentThread();
        return me == thread || me == borrower;
    }

    /** The monitor whose request is running now (QEMU's {@code qmp_dispatcher_current_mon}), or null. */
    public Monitor current() {
        return current;
    }

    /** Any thread: {@code monitor} has queued requests. Idempotent; ignored for removed monitors. */
    public void wake(Monitor monitor) {
        lock.lock();
        try {
            if (!monitor.isRemoved() && !closing && ready.add(monitor)) {
                workArrived.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Dispatcher thread: the monitor leaves the server; its queue is never popped again, even if
     * its I/O side is still enqueuing.
     */
    public void forget(Monitor monitor) {
        assert inDispatcher() : "forget off the dispatcher";
        monitor.markRemoved();
        lock.lock();
        try {
            ready.remove(monitor);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code job} for {@code monitor} (null: for no monitor) on the calling thread in the
     * dispatcher's place, if the dispatcher has nothing to do: no task, no monitor waiting,
     * nothing running, nobody else borrowing. Meanwhile the dispatcher thread runs nothing, so the
     * job holds the big lock as a request on the dispatcher would. Returns false, without running
     * {@code job}, otherwise.
     *
     * <p>For the event loop with a request that neither blocks nor waits for the loop: it saves
     * the two thread hand-offs that bound a request's round trip (docs/performance.md).
     */
    public boolean runIfIdle(Monitor monitor, Runnable job) {
        lock.lock();
        try {
            if (!idleLocked() || monitor != null && monitor.isRemoved()) {
                return false;
            }
            borrower = Thread.currentThread();
        } finally {
            lock.unlock();
        }
        current = monitor;
        try {
            runTask(job);
        } finally {
            current = null;
            lock.lock();
            try {
                borrower = null;
                if (!tasks.isEmpty() || !ready.isEmpty() || closing) {
                    workArrived.signal(); // what arrived meanwhile waited for the borrower
                }
            } finally {
                lock.unlock();
            }
        }
        return true;
    }

    /** Whether nothing runs and nothing waits: a {@link #runIfIdle} now would run its job. */
    public boolean isIdle() {
        lock.lock();
        try {
            return idleLocked();
        } finally {
            lock.unlock();
        }
    }

    private boolean idleLocked() {
        return !closing && !busy && borrower == null && tasks.isEmpty() && ready.isEmpty();
    }

    /** Any thread: runs {@code task} on the dispatcher after the tasks already handed over. */
    public void execute(Runnable task) {
        enqueue(new Task(Objects.requireNonNull(task, "task"), null));
    }

    /**
     * Any thread: runs {@code task} holding the big lock: at once when the caller holds it already
     * (the dispatcher, or a thread in its place), at once on the calling thread in the dispatcher's
     * place when the dispatcher is idle ({@link #runIfIdle}), otherwise as {@link #execute} does.
     * A thread that does not hold the big lock sees its tasks run in the order it handed them
     * over (while one still waits the dispatcher is not idle); one that holds it runs this task
     * before those it queued. Saves a thread hand-over for work that neither blocks nor waits for
     * the dispatcher: a late reply, a broker's answers and events from QEMU.
     */
    public void runOrExecute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (inDispatcher()) {
            task.run();
        } else if (!runIfIdle(null, task)) {
            execute(task);
        }
    }

    /**
     * Any thread: runs {@code task} on the dispatcher; the future completes with its result or
     * exception, or is cancelled if the dispatcher closes first. On the dispatcher itself the task
     * runs at once.
     */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> done = new CompletableFuture<>();
        Runnable body = () -> {
            try {
                done.complete(task.call());
            } catch (Exception | Error e) {
                done.completeExceptionally(e);
            }
        };
        if (inDispatcher()) {
            body.run();
        } else {
            enqueue(new Task(body, done));
        }
        return done;
    }

    private void enqueue(Task task) {
        lock.lock();
        try {
            if (closing) {
                throw new IllegalStateException("state: closed");
            }
            tasks.add(task);
            workArrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Completes once the dispatcher thread has ended. */
    public CompletableFuture<Void> terminationFuture() {
        return terminated;
    }

    /**
     * Stops after the job running now; queued requests stay unanswered (as in QEMU's
     * monitor_cleanup) and pending {@link #submit} futures are cancelled. From another thread this
     * waits for the thread to end (a handler blocked in an interruptible wait is interrupted);
     * from the dispatcher itself it returns at once.
     */
    @Override
    public void close() {
        boolean first;
        lock.lock();
        try {
            first = !closing;
            closing = true;
            ready.clear();
            workArrived.signal();
        } finally {
            lock.unlock();
        }
        if (inDispatcher()) {
            return;
        }
        if (first) {
            thread.interrupt();
        }
        terminated.join();
    }

    private void run() {
        boolean taskTurn = true;
        try {
            while (true) {
                Task task;
                Monitor monitor;
                lock.lock();
                try {
                    busy = false;
                    while (!closing && (borrower != null || (tasks.isEmpty() && ready.isEmpty()))) {
                        workArrived.awaitUninterruptibly();
                    }
                    if (closing) {
                        break;
                    }
                    busy = true;
                    // One item per turn, tasks and monitors alternating, and a task first after
                    // a request: a task (say, a monitor removal) always takes effect before the
                    // next request is popped.
                    task = null;
                    monitor = null;
                    if (!tasks.isEmpty() && (taskTurn || ready.isEmpty())) {
                        task = tasks.poll();
                        taskTurn = false;
                    } else {
                        Iterator<Monitor> it = ready.iterator();
                        monitor = it.next();
                        it.remove();
                        taskTurn = true;
                    }
                } finally {
                    lock.unlock();
                }
                if (task != null) {
                    runTask(task.body());
                }
                if (monitor != null) {
                    serve(monitor);
                }
            }
        } catch (Throwable e) { // an Error out of a task or a request
            lock.lock();
            try {
                closing = true;
            } finally {
                lock.unlock();
            }
            FatalErrorHandler.log(log, "dispatcher " + thread.getName() + " died; no command runs any more", e);
            cancelPending();
            fatal.died(thread.getName(), e);
        } finally {
            cancelPending();
            terminated.complete(null);
        }
    }

    private void serve(Monitor monitor) {
        if (monitor.isRemoved()) {
            return;
        }
        Runnable job = monitor.takeJob();
        if (monitor.hasJobs()) {
            wake(monitor); // to the tail: round robin
        }
        if (job == null) {
            return;
        }
        current = monitor;
        try {
            runTask(job);
        } finally {
            current = null;
        }
    }

    private static void runTask(Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            log.error("dispatcher task failed", e);
        }
    }

    private void cancelPending() {
        lock.lock();
        try {
            for (Task t : tasks) {
                if (t.done() != null) {
                    t.done().cancel(false);
                }
            }
            tasks.clear();
            ready.clear();
        } finally {
            lock.unlock();
        }
        Thread.interrupted(); // the interrupt from close() was for a handler; the thread ends here
    }
}
