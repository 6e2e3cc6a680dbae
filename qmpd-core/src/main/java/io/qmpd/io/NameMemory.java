package io.qmpd.io;

import io.qmpd.json.MemoryBound;
import io.qmpd.qapi.QmpException;

/**
 * What the names and values clients make a server keep may take together: chardev and object
 * (monitor) ids, {@code getfd} names, secrets. QEMU keeps any number of any size; qmpd bounds the
 * sum, so that a client adding chardevs with ids of megabytes cannot exhaust the heap.
 * Thread-safe.
 */
public final class NameMemory {

    /** What a Java string of n characters costs at most: two bytes a character and its header. */
    private static final long STRING_OVERHEAD = 40;

    private final MemoryBound bound;

    /** @param limit bytes all names and values may take together */
    public NameMemory(long limit) {
        this.bound = new MemoryBound(limit);
    }

    /** The cost of keeping {@code name}. */
    public static long cost(String name) {
        return 2L * name.length() + STRING_OVERHEAD;
    }

    /** @throws QmpException {@code memory for names and values is exhausted (limit N bytes)} */
    public void take(long bytes) {
        if (!bound.tryTake(bytes)) {
            throw QmpException.generic("memory for names and values is exhausted (limit " + bound.limit() + " bytes)");
        }
    }

    public void give(long bytes) {
        bound.give(bytes);
    }

    public long used() {
        return bound.used();
    }
}
