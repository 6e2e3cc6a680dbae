package io.qmpd.monitor;

import java.util.ArrayDeque;
import java.util.function.Predicate;

/**
 * A QMP monitor's in-band requests and QEMU's flow control over them (spec 4.2/4.3): the queue
 * (at most {@value QmpMonitor#QUEUE_MAX} with OOB), the request in flight, and whether the
 * monitor holds its client's input back. Without OOB the monitor reads nothing while a request is
 * queued or in flight; with OOB it stops at a full queue. One request is in flight at a time,
 * except that requests a back end answers in order may follow one another before their answers
 * (up to {@value #PIPELINE_MAX}), as QEMU runs a client's queued commands back to back. The loop
 * pushes, the dispatcher pops; guarded by this.
 *
 * @param <R> a queued request
 */
final class RequestQueue<R> {

    /** Requests of one monitor a back end that answers in order may hold at once (QEMU's queue length). */
    static final int PIPELINE_MAX = QmpMonitor.QUEUE_MAX;

    private final ArrayDeque<R> queue = new ArrayDeque<>();
    /**
     * Whether a request may be handed over while earlier ones still wait for their answers: one
     * that goes to a back end answering in the order it was given requests (a broker's QEMU).
     * Called under this queue's lock; must be cheap and must not block.
     */
    private final Predicate<R> pipelines;
    /** Requests of this monitor running or waiting for their answers. */
    private int inFlight;
    /** Every request in flight may be followed by another before it is answered. */
    private boolean pipelining;
    /** Input was left unconsumed: the monitor owes its chardev an {@code acceptInput}. */
    private boolean inputHeld;

    /** Loop: whether the monitor must stop reading now; if so the input is marked as held. */
    synchronized boolean holdInput(boolean oob) {
        if (suspended(oob)) {
            inputHeld = true;
            return true;
        }
        return false;
    }

    RequestQueue(Predicate<R> pipelines) {
        this.pipelines = pipelines;
    }

    synchronized void add(R request) {
        queue.add(request);
    }

    /** Nothing queued or running; stays so until the reading thread queues. */
    synchronized boolean idle() {
        return queue.isEmpty() && inFlight == 0;
    }

    /** A request runs without passing through the queue (inline): nothing else runs before its reply. */
    synchronized void startInline() {
        inFlight = 1;
        pipelining = false;
    }

    /**
     * Dispatcher: the next request, now in flight, or null: none is queued, or one is in flight
     * and the next may not follow it before its answer.
     */
    synchronized R pop() {
        if (!hasRunnable()) {
            return null;
        }
        R request = queue.poll();
        boolean follows = pipelines.test(request);
        pipelining = inFlight == 0 ? follows : pipelining && follows;
        inFlight++;
        return request;
    }

    /** Whether a request waits that the dispatcher may pop now. */
    synchronized boolean hasRunnable() {
        if (queue.isEmpty()) {
            return false;
        }
        return inFlight == 0 || pipelining && inFlight < PIPELINE_MAX && pipelines.test(queue.peek());
    }

    /** A request in flight was answered (they are answered in the order popped); returns whether more may run. */
    synchronized boolean finish() {
        inFlight--;
        return hasRunnable();
    }

    /** The client left: queued requests are dropped unanswered, as QEMU drops them. */
    synchronized void clear() {
        queue.clear();
    }

    /** The monitor is destroyed: queued requests are dropped, and its kept input with its client. */
    synchronized void drop() {
        queue.clear();
        inputHeld = false;
    }

    /** If input is held and the monitor may read again, clears the debt and says so. */
    synchronized boolean takeOwedResume(boolean oob) {
        if (inputHeld && !suspended(oob)) {
            inputHeld = false;
            return true;
        }
        return false;
    }

    private boolean suspended(boolean oob) {
        return oob ? queue.size() >= QmpMonitor.QUEUE_MAX : !queue.isEmpty() || inFlight > 0;
    }
}
