package io.qmpd.chardev;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory every ringbuf chardev of a server may take together. QEMU maps a ring's pages as
 * they are first written; qmpd does the same in {@link RingbufChardev} and charges each page here,
 * so that declared sizes cost nothing and what is written is bounded for the whole server.
 * Thread-safe.
 */
public final class RingbufMemory {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    /** @param limit bytes all rings may hold together (at least 0) */
    public RingbufMemory(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("ringbuf memory limit must not be negative: " + limit);
        }
        this.limit = limit;
    }

    /** The default: a sixteenth of the heap, so that reading a full ring out (base64) fits beside the rest. */
    public static long defaultLimit() {
        return Runtime.getRuntime().maxMemory() / 16;
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used.get();
    }

    /** Takes {@code bytes} if they fit under the limit. */
    boolean tryReserve(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }
}
