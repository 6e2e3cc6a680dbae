package io.qmpd.chardev;

import io.qmpd.io.EventLoop;
import io.qmpd.json.MemoryBound;
import io.qmpd.qapi.QmpException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QEMU's {@code ringbuf} backend (and its deprecated alias {@code memory}): what the frontend
 * writes, and what {@code ringbuf-write} puts in, is kept in a ring of a power-of-two size; the
 * oldest bytes are overwritten when it is full; {@code ringbuf-read} takes bytes out. Opens at
 * creation and never has input.
 *
 * <p>The ring is allocated a page at a time as it is first written, as QEMU's zeroed allocation
 * is mapped by the kernel, so that a ring of any size costs only what was written into it. Each
 * page is charged to the server's {@link MemoryBound}; a write that needs a page past that limit
 * stops there. Thread-safe (guarded by this).
 */
public final class RingbufChardev extends Chardev {

    private static final Logger log = LoggerFactory.getLogger(RingbufChardev.class);

    /** QEMU's default size. */
    public static final int DEFAULT_SIZE = 65536;
    /** The largest size accepted: the largest power of two of QEMU's {@code int} member. */
    static final long MAX_SIZE = 1L << 62;

    private static final int PAGE_SIZE = 64 * 1024;
    /** The most one {@code ringbuf-read} returns: its base64 text must fit in one Java string. */
    static final int MAX_READ = 1 << 30;

    private final String kind;
    private final long size;
    private final int pageSize;
    private final MemoryBound memory;
    /** Pages 0..n-1 of the ring, in order; a ring is written from its start, so it grows at the end. */
    private final List<byte[]> pages = new ArrayList<>();

    private long prod;
    private long cons;
    private boolean warnedFull;
    private boolean closed;

    /**
     * @param kind {@code ringbuf} or {@code memory} (the filename QEMU shows)
     * @throws QmpException {@code size of ringbuf chardev must be power of two}
     */
    public RingbufChardev(String id, EventLoop loop, String kind, long size, MemoryBound memory) {
        super(id, loop);
        if (size < 0 || size > MAX_SIZE || (size & (size - 1)) != 0) {
            throw QmpException.generic("size of ringbuf chardev must be power of two");
        }
        this.kind = kind;
        this.size = size;
        this.pageSize = (int) Math.min(size, PAGE_SIZE);
        this.memory = memory;
    }

    @Override
    public String backendKind() {
        return kind;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    /** The frontend's output; what does not fit under the server's ringbuf memory is lost. */
    @Override
    protected void output(byte[] bytes) {
        if (put(bytes) < bytes.length) {
            synchronized (this) {
                if (!warnedFull) {
                    warnedFull = true;
                    log.warn(
                            "chardev {}: output lost, the ringbuf memory limit ({} bytes) is reached",
                            id(),
                            memory.limit());
                }
            }
        }
    }

    /**
     * {@code ringbuf-write}: puts all of {@code bytes} in the ring.
     *
     * @throws QmpException {@code ringbuf memory limit reached (<n> bytes)} when the ring would
     *                      have to grow past the server's limit; the bytes before that point stay
     */
    public void writeAll(byte[] bytes) {
        if (put(bytes) < bytes.length) {
            throw QmpException.generic("ringbuf memory limit reached (" + memory.limit() + " bytes)");
        }
    }

    /** How many of {@code bytes} went in: all, unless a page could not be had. */
    private synchronized int put(byte[] bytes) {
        if (size == 0 || closed) {
            return bytes.length;
        }
        int done = 0;
        while (done < bytes.length) {
            long pos = prod & (size - 1);
            long index = pos / pageSize;
            if (index == pages.size()) {
                if (!memory.tryTake(pageSize)) {
                    return done;
                }
                pages.add(new byte[pageSize]);
            }
            int offset = (int) (pos % pageSize);
            int n = Math.min(bytes.length - done, pageSize - offset);
            System.arraycopy(bytes, done, pages.get((int) index), offset, n);
            done += n;
            prod += n;
            if (prod - cons > size) {
                cons = prod - size;
            }
        }
        return done;
    }

    /** Takes up to {@code max} of the oldest bytes, and never more than {@value #MAX_READ}. */
    public synchronized byte[] read(long max) {
        int n = (int) Math.min(Math.min(max, prod - cons), MAX_READ);
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            long pos = cons & (size - 1);
            int offset = (int) (pos % pageSize);
            int chunk = Math.min(n - done, pageSize - offset);
            System.arraycopy(pages.get((int) (pos / pageSize)), offset, out, done, chunk);
            done += chunk;
            cons += chunk;
        }
        return out;
    }

    /** Gives the ring's pages back to the server's ringbuf memory. */
    @Override
    protected synchronized void closeBackend() {
        closed = true;
        memory.give((long) pages.size() * pageSize);
        pages.clear();
        prod = 0;
        cons = 0;
    }
}
