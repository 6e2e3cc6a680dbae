package io.qmpd.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

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

    private QDictOrder() {}

    /** The QDict bucket index of {@code key}, {@code 0 <= bucket < 512}. */
    public static int bucket(String key) {
        // tdb_hash: v = 0x238F13AF * strlen + sum(byte[i] << (i * 5 % 24)); one pass over the
        // chars yields both the sum and the byte count.
        int sum = 0;
        int bytes = 0;
        int shift = 0;
        int n = key.length();
        for (int c = 0; c < n; c++) {
            char ch = key.charAt(c);
            if (ch != 0 && ch < 0x80) {
                sum += ch << shift;
                bytes++;
                shift = nextShift(shift);
            } else if (ch < 0x800) {
                // U+0000 too: modified UTF-8 stores it as C0 80.
                sum += (0xC0 | (ch >> 6)) << shift;
                shift = nextShift(shift);
                sum += (0x80 | (ch & 0x3F)) << shift;
                shift = nextShift(shift);
                bytes += 2;
            } else if (Character.isHighSurrogate(ch) && c + 1 < n && Character.isLowSurrogate(key.charAt(c + 1))) {
                int cp = Character.toCodePoint(ch, key.charAt(++c));
                sum += (0xF0 | (cp >> 18)) << shift;
                shift = nextShift(shift);
                sum += (0x80 | ((cp >> 12) & 0x3F)) << shift;
                shift = nextShift(shift);
                sum += (0x80 | ((cp >> 6) & 0x3F)) << shift;
                shift = nextShift(shift);
                sum += (0x80 | (cp & 0x3F)) << shift;
                shift = nextShift(shift);
                bytes += 4;
            } else {
                // Three bytes; a lone surrogate is hashed as its generalized UTF-8 form.
                sum += (0xE0 | (ch >> 12)) << shift;
                shift = nextShift(shift);
                sum += (0x80 | ((ch >> 6) & 0x3F)) << shift;
                shift = nextShift(shift);
                sum += (0x80 | (ch & 0x3F)) << shift;
                shift = nextShift(shift);
                bytes += 3;
            }
        }
        int h = 1103515243 * (0x238F13AF * bytes + sum) + 12345;
        return Integer.remainderUnsigned(h, BUCKETS);
    }

    /**
     * The keys in the order a QDict built by inserting them in {@code insertionOrder} walks them:
     * by bucket, the latest insertion first within one. For walks of a request (QEMU checks the
     * envelope and visits arguments in this order); the writer sorts without a list.
     */
    public static List<String> iterationOrder(List<String> insertionOrder) {
        List<String> out = new ArrayList<>(insertionOrder.size());
        for (int i = insertionOrder.size() - 1; i >= 0; i--) {
            out.add(insertionOrder.get(i));
        }
        out.sort(Comparator.comparingInt(QDictOrder::bucket)); // stable: later insertions stay first
        return out;
    }

    /**
     * An insertion order whose walk is {@code printed}: keys as QEMU printed a dict (by bucket,
     * so {@link #iterationOrder} of the result gives {@code printed} back). Inside each bucket the
     * printed order is reversed; buckets keep their place.
     */
    public static List<String> insertionOrderFor(List<String> printed) {
        List<String> out = new ArrayList<>(printed.size());
        int start = 0;
        while (start < printed.size()) {
            int bucket = bucket(printed.get(start));
            int end = start + 1;
            while (end < printed.size() && bucket(printed.get(end)) == bucket) {
                end++;
            }
            for (int i = end - 1; i >= start; i--) {
                out.add(printed.get(i));
            }
            start = end;
        }
        return out;
    }

    /**
     * A copy of {@code printed}, a value as QEMU printed it, whose objects hold their members in
     * {@link #insertionOrderFor the insertion order} that makes qmpd's writer print them as QEMU
     * did: a value passed on from QEMU keeps its bytes.
     */
    public static JsonNode keepingPrintedOrder(JsonNode printed) {
        if (printed instanceof ObjectNode object) {
            List<String> keys = new ArrayList<>(object.size());
            object.fieldNames().forEachRemaining(keys::add);
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (String key : insertionOrderFor(keys)) {
                copy.set(key, keepingPrintedOrder(object.get(key)));
            }
            return copy;
        }
        if (printed instanceof ArrayNode array) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(array.size());
            for (JsonNode element : array) {
                copy.add(keepingPrintedOrder(element));
            }
            return copy;
        }
        return printed;
    }

    /** {@code (i + 1) * 5 % 24} from {@code i * 5 % 24}. */
    private static int nextShift(int shift) {
        int next = shift + 5;
        return next >= 24 ? next - 24 : next;
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
