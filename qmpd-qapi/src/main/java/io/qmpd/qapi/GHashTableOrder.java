package io.qmpd.qapi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The slot layout of a GLib 2.74 {@code GHashTable} keyed by {@code g_str_hash}: open addressing
 * over 2^shift slots, start slot {@code (hash * 11) % prime}, quadratic probing, tombstones on
 * removal, and GLib's in-place resize after inserts into empty slots and after removals.
 *
 * <p>QEMU walks such tables in two places qmpd must match: an object's children (the
 * {@code /chardevs} container, so the order of {@code query-chardev}, {@code info chardev} and
 * {@code qom-list /chardevs} depends on the whole add/remove history), and the input visitor's
 * not-yet-visited argument names ({@link #first()} is the one reported as
 * {@code Parameter '...' is unexpected}). Only the order is modelled: no values. Not
 * thread-safe; the owner confines it.
 */
public final class GHashTableOrder {

    private static final int MIN_SHIFT = 3;
    private static final int UNUSED = 0;
    private static final int TOMBSTONE = 1;
    private static final int[] PRIME_MOD = {
        1,
        2,
        3,
        7,
        13,
        31,
        61,
        127,
        251,
        509,
        1021,
        2039,
        4093,
        8191,
        16381,
        32749,
        65521,
        131071,
        262139,
        524287,
        1048573,
        2097143,
        4194301,
        8388593,
        16777213,
        33554393,
        67108859,
        134217689,
        268435399,
        536870909,
        1073741789,
        2147483647
    };

    private int size;
    private int mod;
    private int mask;
    private int nnodes;
    private int noccupied;
    private int[] hashes;
    private String[] keys;

    public GHashTableOrder() {
        setShift(MIN_SHIFT);
        hashes = new int[size];
        keys = new String[size];
    }

    /** {@code g_str_hash}: djb2 over the UTF-8 bytes read as signed chars. */
    public static int strHash(String key) {
        int h = 5381;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h = (h << 5) + h + b;
        }
        return h;
    }

    /** {@code g_hash_table_insert} of a new key (a present key changes nothing). */
    public void insert(String key) {
        int hash = realHash(key);
        int index = lookup(key, hash);
        int old = hashes[index];
        if (isReal(old)) {
            return;
        }
        hashes[index] = hash;
        keys[index] = key;
        nnodes++;
        if (old == UNUSED) {
            noccupied++;
            maybeResize();
        }
    }

    /** {@code g_hash_table_remove}: leaves a tombstone, then maybe shrinks. */
    public void remove(String key) {
        int index = lookup(key, realHash(key));
        if (!isReal(hashes[index])) {
            return;
        }
        hashes[index] = TOMBSTONE;
        keys[index] = null;
        nnodes--;
        maybeResize();
    }

    public int size() {
        return nnodes;
    }

    /** The first key in iteration order, or {@code null} when empty. */
    public String first() {
        for (int i = 0; i < size; i++) {
            if (isReal(hashes[i])) {
                return keys[i];
            }
        }
        return null;
    }

    /** Keys in {@code g_hash_table_iter_next} order (slot order). */
    public List<String> iterationOrder() {
        List<String> out = new ArrayList<>(nnodes);
        for (int i = 0; i < size; i++) {
            if (isReal(hashes[i])) {
                out.add(keys[i]);
            }
        }
        return out;
    }

    /** Keys as QEMU lists an object's children: iteration order, each prepended (so reversed). */
    public List<String> prependedOrder() {
        List<String> out = iterationOrder();
        Collections.reverse(out);
        return out;
    }

    private static int realHash(String key) {
        int h = strHash(key);
        return Integer.compareUnsigned(h, 2) < 0 ? 2 : h;
    }

    private static boolean isReal(int h) {
        return Integer.compareUnsigned(h, 2) >= 0;
    }

    private int hashToIndex(int hash) {
        return Integer.remainderUnsigned(hash * 11, mod);
    }

    private int lookup(String key, int hash) {
        int index = hashToIndex(hash);
        int firstTombstone = -1;
        int step = 0;
        while (hashes[index] != UNUSED) {
            if (hashes[index] == hash && key.equals(keys[index])) {
                return index;
            } else if (hashes[index] == TOMBSTONE && firstTombstone < 0) {
                firstTombstone = index;
            }
            step++;
            index = (index + step) & mask;
        }
        return firstTombstone >= 0 ? firstTombstone : index;
    }

    private void setShift(int shift) {
        size = 1 << shift;
        mod = PRIME_MOD[shift];
        mask = size - 1;
    }

    private void maybeResize() {
        if ((size > nnodes * 4 && size > 1 << MIN_SHIFT) || size <= noccupied + noccupied / 16) {
            resize();
        }
    }

    /** The in-place rehash: walk the old slots in order, evicting entries into their new places. */
    private void resize() {
        int oldSize = size;
        int n = (int) (nnodes * 1.333);
        int shift = 0;
        while (n != 0) {
            n >>= 1;
            shift++;
        }
        setShift(Math.max(shift, MIN_SHIFT));
        if (size > oldSize) {
            hashes = Arrays.copyOf(hashes, size);
            keys = Arrays.copyOf(keys, size);
        }
        boolean[] placed = new boolean[Math.max(size, oldSize)];
        for (int i = 0; i < oldSize; i++) {
            int nodeHash = hashes[i];
            if (!isReal(nodeHash)) {
                hashes[i] = UNUSED;
                continue;
            }
            if (placed[i]) {
                continue;
            }
            hashes[i] = UNUSED;
            String key = keys[i];
            keys[i] = null;
            while (true) {
                int step = 0;
                int index = hashToIndex(nodeHash);
                while (placed[index]) {
                    step++;
                    index = (index + step) & mask;
                }
                placed[index] = true;
                int replaced = hashes[index];
                String replacedKey = keys[index];
                hashes[index] = nodeHash;
                keys[index] = key;
                if (!isReal(replaced)) {
                    break;
                }
                nodeHash = replaced;
                key = replacedKey;
            }
        }
        if (size < oldSize) {
            hashes = Arrays.copyOf(hashes, size);
            keys = Arrays.copyOf(keys, size);
        }
        noccupied = nnodes;
    }
}
