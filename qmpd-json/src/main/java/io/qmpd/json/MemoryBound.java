package io.qmpd.json;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes that a group of holders may take together: the partial input of a server's JSON
 * streamers, or the pages of its ringbuf chardevs. A holder takes before it allocates and gives
 * back what it frees. Thread-safe.
 */
public final class MemoryBound {

    /** No bound. */
    public static final MemoryBound UNBOUNDED = new MemoryBound(Long.MAX_VALUE);

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    /** @param limit the bytes all holders may take together (at least 0) */
    public MemoryBound(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0)");
        }
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used.get();
    }

    /** Takes {@code bytes} if they fit under the limit; false, taking nothing, if not. */
    public boolean tryTake(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    /** Gives back bytes taken before. */
    public void give(long bytes) {
        used.addAndGet(-bytes);
    }
}
