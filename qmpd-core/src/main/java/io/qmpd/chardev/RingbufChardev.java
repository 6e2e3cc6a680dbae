package io.qmpd.chardev;

import io.qmpd.io.EventLoop;
import io.qmpd.qapi.QmpException;

/**
 * QEMU's {@code ringbuf} backend (and its deprecated alias {@code memory}): what the frontend
 * writes, and what {@code ringbuf-write} puts in, is kept in a ring of a power-of-two size; the
 * oldest bytes are overwritten when it is full; {@code ringbuf-read} takes bytes out. Opens at
 * creation and never has input. Thread-safe (guarded by this).
 */
public final class RingbufChardev extends Chardev {

    /** QEMU's default size. */
    public static final int DEFAULT_SIZE = 65536;

    private final String kind;
    private final byte[] ring;
    private long prod;
    private long cons;

    /**
     * @param kind {@code ringbuf} or {@code memory} (the filename QEMU shows)
     * @throws QmpException {@code size of ringbuf chardev must be power of two}
     */
    public RingbufChardev(String id, EventLoop loop, String kind, long size) {
        super(id, loop);
        if (size < 0 || size > (1 << 30) || (size & (size - 1)) != 0) {
            throw QmpException.generic("size of ringbuf chardev must be power of two");
        }
        this.kind = kind;
        this.ring = new byte[(int) size];
    }

    @Override
    public String backendKind() {
        return kind;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public synchronized void write(byte[] bytes) {
        if (ring.length == 0) {
            return;
        }
        int mask = ring.length - 1;
        for (byte b : bytes) {
            ring[(int) (prod++ & mask)] = b;
            if (prod - cons > ring.length) {
                cons = prod - ring.length;
            }
        }
    }

    /** Takes up to {@code max} of the oldest bytes. */
    public synchronized byte[] read(long max) {
        int n = (int) Math.min(max, prod - cons);
        byte[] out = new byte[n];
        int mask = ring.length - 1;
        for (int i = 0; i < n; i++) {
            out[i] = ring[(int) (cons++ & mask)];
        }
        return out;
    }
}
