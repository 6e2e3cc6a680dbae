package io.qmpd.monitor;

import java.util.ArrayDeque;

/**
 * A QMP monitor's in-band requests and QEMU's flow control over them (spec 4.2/4.3): the queue
 * (at most {@value QmpMonitor#QUEUE_MAX} with OOB), the one request in flight, and whether the
 * monitor holds its client's input back. Without OOB the monitor reads nothing while a request is
 * queued or in flight; with OOB it stops at a full queue. The loop pushes, the dispatcher pops;
 * guarded by this.
 *
 * @param <R> a queued request
 */
final class RequestQueue<R> {

    private final ArrayDeque<R> queue = new ArrayDeque<>();
    /** A request of this monitor is running (or waiting for its answer). */
    private boolean inFlight;
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

    synchronized void add(R request) {
        queue.add(request);
    }

    /** Nothing queued or running; stays so until the reading thread queues. */
    synchronized boolean idle() {
        return queue.isEmpty() && !inFlight;
    }

    /** A request runs without passing through the queue (inline): nothing else runs before its reply. */
    synchronized void startInline() {
        inFlight = true;
    }

    /** Dispatcher: the next request, now in flight, or null (one is in flight, or none is queued). */
    synchronized R pop() {
        if (inFlight) {
            return null;
        }
        R request = queue.poll();
        if (request != null) {
            inFlight = true;
        }
        return request;
    }

    /** Whether a request waits that the dispatcher may pop now. */
    synchronized boolean hasRunnable() {
        return !queue.isEmpty() && !inFlight;
    }

    /** The request in flight was answered; returns whether more are queued. */
    synchronized boolean finish() {
        inFlight = false;
        return !queue.isEmpty();
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
        return oob ? queue.size() >= QmpMonitor.QUEUE_MAX : !queue.isEmpty() || inFlight;
    }
}
