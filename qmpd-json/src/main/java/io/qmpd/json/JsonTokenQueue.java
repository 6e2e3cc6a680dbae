package io.qmpd.json;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * The tokens of one top-level value not yet parsed, stored compactly: all token texts back to
 * back in one byte array, plus one start offset and one type per token. Confined to the thread
 * that owns the enclosing {@link JsonStreamer}.
 */
final class JsonTokenQueue {

    private static final int INITIAL_BYTES = 256;
    private static final int INITIAL_TOKENS = 32;
    /** Arrays grown beyond these sizes are given back when the queue is cleared. */
    static final int RETAINED_BYTES = 64 * 1024;

    static final int RETAINED_TOKENS = 4096;

    /** Never more bytes than this are queued (the streamer checks before adding). */
    private final int maxBytes;

    private byte[] bytes = new byte[INITIAL_BYTES];
    private int byteCount;
    private int[] starts = new int[INITIAL_TOKENS];
    private byte[] types = new byte[INITIAL_TOKENS];
    private int count;

    /** Asked before the arrays grow by the given bytes; false: the token is not added. */
    private final LongPredicate mayGrow;

    JsonTokenQueue(int maxBytes, LongPredicate mayGrow) {
        this.maxBytes = maxBytes;
        this.mayGrow = mayGrow;
    }

    /** Adds a token; false, with nothing added, when the arrays may not grow for it. */
    boolean add(JsonTokenType type, byte[] text, int length) {
        if (count == starts.length) {
            int capacity = 2 * starts.length;
            if (!mayGrow.test(5L * (capacity - starts.length))) {
                return false;
            }
            starts = Arrays.copyOf(starts, capacity);
            types = Arrays.copyOf(types, capacity);
        }
        if (byteCount + length > bytes.length) {
            long wanted = Math.max(2L * bytes.length, (long) byteCount + length);
            int capacity = (int) Math.min(wanted, Math.max(maxBytes, (long) byteCount + length));
            if (!mayGrow.test(capacity - bytes.length)) {
                return false;
            }
            bytes = Arrays.copyOf(bytes, capacity);
        }
        System.arraycopy(text, 0, bytes, byteCount, length);
        starts[count] = byteCount;
        types[count] = (byte) type.ordinal();
        count++;
        byteCount += length;
        return true;
    }

    void clear() {
        count = 0;
        byteCount = 0;
        if (bytes.length > RETAINED_BYTES) {
            bytes = new byte[INITIAL_BYTES];
        }
        if (starts.length > RETAINED_TOKENS) {
            starts = new int[INITIAL_TOKENS];
            types = new byte[INITIAL_TOKENS];
        }
    }

    int size() {
        return count;
    }

    /** Total bytes of all queued token texts. */
    int byteCount() {
        return byteCount;
    }

    /** Bytes held by the queue's arrays, used or not (for tests of the memory bound). */
    long retainedCapacity() {
        return bytes.length + 5L * starts.length;
    }

    JsonTokenType type(int index) {
        return JsonTokenType.ofOrdinal(types[index]);
    }

    int start(int index) {
        return starts[index];
    }

    int end(int index) {
        return index + 1 < count ? starts[index + 1] : byteCount;
    }

    /** The backing array; token {@code i} is {@code [start(i), end(i))}. */
    byte[] bytes() {
        return bytes;
    }
}
