package io.qmpd.chardev;

import java.nio.ByteBuffer;

/**
 * The input a chardev's frontend left unconsumed (ADR 3): offered to the frontend first, kept
 * while the frontend holds it, offered again when the frontend {@linkplain Chardev#acceptInput()
 * accepts input}. A backend keeps one per client connection and reads nothing new for the
 * frontend while {@link #isEmpty()} is false; it may read ahead into it with {@link #append}.
 *
 * <p>Every method runs on the chardev's loop thread, where frontend callbacks run.
 */
public final class KeptInput {

    private final Chardev chardev;
    /** What the frontend left; null when nothing is kept. */
    private ByteBuffer kept;

    public KeptInput(Chardev chardev) {
        this.chardev = chardev;
    }

    /**
     * Offers {@code input} to the frontend and keeps what it leaves, copied, so the caller may
     * reuse its buffer. Without a frontend everything is kept.
     *
     * @return whether the frontend consumed all of it
     */
    public boolean offer(ByteBuffer input) {
        ChardevFrontend fe = chardev.frontend();
        if (fe != null && input.hasRemaining()) {
            fe.received(input);
        }
        if (!input.hasRemaining()) {
            kept = null;
            return true;
        }
        if (input != kept) {
            kept = ByteBuffer.allocate(input.remaining()).put(input).flip();
        }
        return false;
    }

    /**
     * Offers the kept input again.
     *
     * @return whether input was kept and the frontend has now consumed all of it
     */
    public boolean offerKept() {
        return kept != null && offer(kept);
    }

    /** Puts {@code more} behind the kept input without offering it: read ahead while the frontend holds input. */
    public void append(ByteBuffer more) {
        ByteBuffer before = kept != null ? kept : ByteBuffer.allocate(0);
        kept = ByteBuffer.allocate(before.remaining() + more.remaining())
                .put(before)
                .put(more)
                .flip();
    }

    public boolean isEmpty() {
        return kept == null;
    }

    public int size() {
        return kept != null ? kept.remaining() : 0;
    }

    /** Drops the kept input (the client is gone). */
    public void clear() {
        kept = null;
    }
}
