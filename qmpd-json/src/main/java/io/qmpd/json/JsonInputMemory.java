package io.qmpd.json;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory that the partial input of many {@link JsonStreamer}s may hold together (a server's
 * clients, each part-way through a value). QEMU bounds one value at 64 MiB and nothing more; a
 * few clients each sending a value that large would exhaust a JVM's heap, so a server sets this
 * bound on them all. What a streamer keeps between values (a little over 148 KiB at most) is
 * not counted. Thread-safe.
 */
public final class JsonInputMemory {

    /** No bound beyond each value's own limits. */
    public static final JsonInputMemory UNBOUNDED = new JsonInputMemory(Long.MAX_VALUE);

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    /** @param limit bytes all streamers sharing this may hold beyond what each keeps between values */
    public JsonInputMemory(long limit) {
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

    boolean tryTake(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    void give(long bytes) {
        used.addAndGet(-bytes);
    }
}
