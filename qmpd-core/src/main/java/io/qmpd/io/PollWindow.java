package io.qmpd.io;

/**
 * How long the event loop polls for work before it sleeps, learnt from how long it actually
 * stayed idle after work, as QEMU's iothreads adapt their {@code poll-max-ns} polling: a window
 * that caught the work stays, an idle spell the largest window could have caught doubles it. A
 * longer spell halves it (QEMU 7.2 resets it; ADR 9 says why not here). A client that
 * pauses between requests thus drives the window to 0 and costs no polling; one that answers
 * fast keeps the loop awake for it.
 *
 * <p>Loop thread only.
 */
final class PollWindow {

    /** The first window opened after none: short, so that a wrong guess costs little. */
    static final long FIRST_NANOS = 4_000;

    private final long maxNanos;
    private long nanos;

    /** @param maxNanos the largest window; 0 never polls */
    PollWindow(long maxNanos) {
        if (maxNanos < 0) {
            throw new IllegalArgumentException("pollMaxNanos must not be negative: " + maxNanos);
        }
        this.maxNanos = maxNanos;
    }

    /** Whether the loop may ever poll; when false, idle spells need not be timed. */
    boolean enabled() {
        return maxNanos > 0;
    }

    /** The window to poll for after the next burst of work. */
    long nanos() {
        return nanos;
    }

    /** Learns from one idle spell after work: {@code idleNanos} from its end until work came, poll included. */
    void idled(long idleNanos) {
        if (idleNanos <= nanos) {
            return; // the poll caught it
        }
        if (idleNanos > maxNanos) {
            nanos = nanos / 2 < FIRST_NANOS ? 0 : nanos / 2;
        } else {
            nanos = Math.min(maxNanos, Math.max(FIRST_NANOS, nanos * 2));
        }
    }
}
