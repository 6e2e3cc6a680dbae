package io.qmpd.qapi.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The iteration order of QEMU's QDict (qobject/qdict.c): bucket {@code tdb_hash(key) % 512}
 * ascending, and inside a bucket the most recently inserted key first (spec, appendix B).
 * Stateless.
 */
public final class QDictOrder {

    private QDictOrder() {
    }

    public static int bucket(String key) {
        return io.qmpd.json.QDictOrder.bucket(key);
    }

    /** The keys as a QDict built by inserting them in the given order iterates them. */
    public static List<String> iterationOrder(List<String> insertionOrder) {
        List<String> out = new ArrayList<>(insertionOrder.size());
        for (int i = insertionOrder.size() - 1; i >= 0; i--) {
            out.add(insertionOrder.get(i));
        }
        out.sort(Comparator.comparingInt(QDictOrder::bucket)); // stable: later insertions stay first
        return out;
    }
}
