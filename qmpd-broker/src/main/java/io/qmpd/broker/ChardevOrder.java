package io.qmpd.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.qmpd.qapi.GHashTableOrder;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The order in which one QEMU holding every chardev a session can see would list them. QEMU
 * walks the children of {@code /chardevs}, a hash table whose order depends on its whole add and
 * remove history; through the broker those chardevs live on two sides (ADR 12), so the broker
 * keeps that history for both as one table: QEMU's chardevs when qmpd connected, qmpd's own as
 * they are made, and those sessions add on QEMU and remove there. Guarded by the big lock.
 */
final class ChardevOrder {

    private final GHashTableOrder table = new GHashTableOrder();
    private final Set<String> present = new HashSet<>();
    /** The labels of the chardevs QEMU holds that a session may see. */
    private final Set<String> onQemu = new HashSet<>();
    /** qmpd's own chardevs, in the order made. */
    private final Supplier<List<String>> qmpds;

    /**
     * @param qemus the labels of QEMU's chardevs when qmpd connected, in QEMU's order
     * @param qmpds the ids of qmpd's own chardevs, in the order they were made
     */
    ChardevOrder(List<String> qemus, Supplier<List<String>> qmpds) {
        this.qmpds = qmpds;
        qemus.forEach(this::addedOnQemu);
    }

    /**
     * Takes in what changed on qmpd's side since the last look: a chardev of qmpd's that is gone
     * leaves the table, a new one joins it. Done before each change on QEMU's side and each
     * listing, so that the table sees both sides' changes in their order.
     */
    private void catchUp() {
        List<String> qmpds = this.qmpds.get();
        Set<String> mine = Set.copyOf(qmpds);
        for (String label : List.copyOf(present)) {
            if (!mine.contains(label) && !onQemu.contains(label)) {
                present.remove(label);
                table.remove(label);
            }
        }
        for (String label : qmpds) {
            if (present.add(label)) {
                table.insert(label);
            }
        }
    }

    void addedOnQemu(String label) {
        catchUp();
        onQemu.add(label);
        if (present.add(label)) {
            table.insert(label);
        }
    }

    void removedOnQemu(String label) {
        catchUp();
        onQemu.remove(label);
        if (present.remove(label)) {
            table.remove(label);
        }
    }

    /** QEMU's {@code chardev-change} puts a new chardev in the old one's place: out of the table, then in again. */
    void changedOnQemu(String label) {
        catchUp();
        if (onQemu.contains(label)) {
            table.remove(label);
            table.insert(label);
        }
    }

    /** A chardev QEMU held is qmpd's now, under the same label: the table does not see the move. */
    void movedToQmpd(String label) {
        onQemu.remove(label);
    }

    /**
     * {@code entries} of both sides, each naming a chardev in its member {@code key}
     * ({@code query-chardev}'s {@code label}, {@code qom-list}'s {@code name}), in the table's order.
     */
    ArrayNode ordered(Iterable<JsonNode> entries, String key) {
        catchUp();
        Map<String, JsonNode> byLabel = new LinkedHashMap<>();
        for (JsonNode entry : entries) {
            byLabel.put(entry.path(key).asText(), entry);
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (String label : table.prependedOrder()) {
            JsonNode entry = byLabel.remove(label);
            if (entry != null) {
                out.add(entry);
            }
        }
        byLabel.values().forEach(out::add); // made by QEMU behind the broker's back
        return out;
    }
}
