package io.qmpd.client.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a caller-supplied executor (which may be a
 * pool): the client's callbacks stay in wire order whatever executor the embedder gives.
 * Thread-safe; the lock guards only the queue and is never held while a task runs.
 */
public final class SerialExecutor implements Executor {

    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final Executor delegate;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    /** Guarded by {@link #lock}: a drain is scheduled or running. */
    private boolean draining;

    public SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (lock) {
            tasks.add(task);
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            delegate.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                draining = false;
                tasks.clear();
            }
            throw e;
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (lock) {
                next = tasks.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                // One failing callback must not stop the ones after it.
                LOG.log(System.Logger.Level.WARNING, "client callback failed", e);
            }
        }
    }
}
