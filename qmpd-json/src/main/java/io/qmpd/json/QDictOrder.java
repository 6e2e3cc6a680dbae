package io.qmpd.json;

import java.util.Arrays;

/**
 * The order in which QEMU's QDict hands out its members, and therefore the order in which QEMU
 * prints them.
 *
 * <p>A QDict is a hash table of {@value #BUCKETS} buckets, each a list to which new keys are added
 * at the head. Iteration walks the buckets in ascending index, and each bucket from its head: so
 * members come ordered by bucket, and inside one bucket the most recently inserted key comes
 * first. The bucket of a key is QEMU's {@code tdb_hash} of the key's bytes (modified UTF-8, as
 * QEMU stores strings) modulo {@value #BUCKETS}, computed in 32-bit unsigned arithmetic.
 *
 * <p>Stateless; safe on any thread. The hash is computed on the fly: for the short keys of QMP it
 * costs a handful of integer operations per character, no allocation.
 */
public final class QDictOrder {

    /** QEMU's QDICT_BUCKET_MAX. */
    public static final int BUCKETS = 512;

    private QDictOrder() {
    }

    /** The QDict bucket index of {@code key}, {@code 0 <= bucket < 512}. */
    public static int bucket(String key) {
        int length = modifiedUtf8Length(key);
        int v = 0x238F13AF * length;
        int i = 0;
        int n = key.length();
        for (int c = 0; c < n; c++) {
            char ch = key.charAt(c);
            if (ch != 0 && ch < 0x80) {
                v += ch << (i * 5 % 24);
                i++;
            } else if (ch < 0x800) {
                // U+0000 too: modified UTF-8 stores it as C0 80.
                v += (0xC0 | (ch >> 6)) << (i * 5 % 24);
                v += (0x80 | (ch & 0x3F)) << ((i + 1) * 5 % 24);
                i += 2;
            } else if (Character.isHighSurrogate(ch) && c + 1 < n
                    && Character.isLowSurrogate(key.charAt(c + 1))) {
                int cp = Character.toCodePoint(ch, key.charAt(++c));
                v += (0xF0 | (cp >> 18)) << (i * 5 % 24);
                v += (0x80 | ((cp >> 12) & 0x3F)) << ((i + 1) * 5 % 24);
                v += (0x80 | ((cp >> 6) & 0x3F)) << ((i + 2) * 5 % 24);
                v += (0x80 | (cp & 0x3F)) << ((i + 3) * 5 % 24);
                i += 4;
            } else {
                // Three bytes; a lone surrogate is hashed as its generalized UTF-8 form.
                v += (0xE0 | (ch >> 12)) << (i * 5 % 24);
                v += (0x80 | ((ch >> 6) & 0x3F)) << ((i + 1) * 5 % 24);
                v += (0x80 | (ch & 0x3F)) << ((i + 2) * 5 % 24);
                i += 3;
            }
        }
        int h = 1103515243 * v + 12345;
        return Integer.remainderUnsigned(h, BUCKETS);
    }

    /** Bytes of {@code key} in modified UTF-8 (what C's strlen would say of QEMU's copy). */
    static int modifiedUtf8Length(String key) {
        int n = key.length();
        int bytes = n;
        for (int c = 0; c < n; c++) {
            char ch = key.charAt(c);
            if (ch == 0 || ch >= 0x80) {
                if (ch < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(ch) && c + 1 < n
                        && Character.isLowSurrogate(key.charAt(c + 1))) {
                    bytes += 2; // two chars, four bytes
                    c++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /**
     * Sorts {@code order[from, from + count)} into QDict iteration order. On entry, element
     * {@code from + i} describes the member inserted {@code i}-th and must hold
     * {@link #sortKey}{@code (bucket, i, count)}; on return, {@link #insertionIndex} of each
     * element, read in sequence, gives the members in print order.
     */
    static void sort(long[] order, int from, int count) {
        int to = from + count;
        if (count <= 16) {
            for (int i = from + 1; i < to; i++) {
                long x = order[i];
                int j = i - 1;
                while (j >= from && order[j] > x) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = x;
            }
        } else {
            Arrays.sort(order, from, to);
        }
    }

    /** Sort key: bucket first, then later insertions before earlier ones. */
    static long sortKey(int bucket, int insertionIndex, int count) {
        return ((long) bucket << 32) | (count - 1 - insertionIndex);
    }

    /** Inverse of {@link #sortKey} for the insertion index. */
    static int insertionIndex(long sortKey, int count) {
        return count - 1 - (int) sortKey;
    }
}
