package io.qmpd.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code query-qmp-schema} through the broker: QEMU's answer, followed by qmpd's own commands that
 * QEMU does not have ({@code monitor-add}, {@code monitor-remove}, {@code query-monitors}) with the
 * types they need. QEMU names its types with numbers ("masked" names) and so does qmpd: each type
 * added takes a number QEMU does not use, arrays follow their element ({@code [N]}), and builtin
 * types ({@code str}, {@code int}, ...) are QEMU's own. The result stays valid: names unique,
 * every type referenced defined.
 */
final class Introspection {

    private Introspection() {}

    /**
     * @param upstream QEMU's answer
     * @param local    qmpd's own schema introspected (same form)
     * @return a new list: {@code upstream}'s entries, then the local commands it lacks
     */
    static ArrayNode merge(ArrayNode upstream, ArrayNode local) {
        Map<String, JsonNode> upstreamByName = new HashMap<>();
        Set<String> upstreamCommands = new HashSet<>();
        long next = 0;
        for (JsonNode entry : upstream) {
            String name = entry.path("name").asText();
            upstreamByName.put(name, entry);
            if ("command".equals(entry.path("meta-type").asText())) {
                upstreamCommands.add(name);
            }
            next = Math.max(next, number(name) + 1);
        }
        Map<String, JsonNode> localByName = new HashMap<>();
        for (JsonNode entry : local) {
            localByName.put(entry.path("name").asText(), entry);
        }
        // Which local entries to add: the commands QEMU lacks and every type they reach.
        Set<String> added = new LinkedHashSet<>();
        Deque<String> toVisit = new ArrayDeque<>();
        for (JsonNode entry : local) {
            String name = entry.path("name").asText();
            if ("command".equals(entry.path("meta-type").asText()) && !upstreamCommands.contains(name)) {
                toVisit.add(name);
            }
        }
        while (!toVisit.isEmpty()) {
            String name = toVisit.poll();
            JsonNode entry = localByName.get(name);
            if (entry == null || isBuiltin(entry) || !added.add(name)) {
                continue;
            }
            references(entry, toVisit);
        }
        Map<String, String> renamed = new HashMap<>();
        for (String name : added) {
            JsonNode entry = localByName.get(name);
            String meta = entry.path("meta-type").asText();
            if (!meta.equals("command") && !meta.equals("event") && !meta.equals("array")) {
                renamed.put(name, Long.toString(next++));
            }
        }
        ArrayNode merged = upstream.deepCopy();
        for (String name : added) {
            ObjectNode copy = localByName.get(name).deepCopy();
            rename(copy, renamed, localByName);
            if (!"array".equals(copy.path("meta-type").asText())
                    || !upstreamByName.containsKey(copy.path("name").asText())) {
                merged.add(copy);
            }
        }
        return merged;
    }

    private static boolean isBuiltin(JsonNode entry) {
        return "builtin".equals(entry.path("meta-type").asText());
    }

    /** A masked name's number, or -1. */
    private static long number(String name) {
        if (name.isEmpty() || name.length() > 18) {
            return -1;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(name);
    }

    /** Adds the type names {@code entry} refers to. */
    private static void references(JsonNode entry, Deque<String> out) {
        for (String field : new String[] {"arg-type", "ret-type", "element-type"}) {
            if (entry.has(field)) {
                out.add(entry.get(field).asText());
            }
        }
        for (String list : new String[] {"members", "variants"}) {
            for (JsonNode m : entry.path(list)) {
                if (m.has("type")) {
                    out.add(m.get("type").asText());
                }
            }
        }
    }

    /** Rewrites {@code entry}'s own name and its references to the names they take in the merge. */
    private static void rename(ObjectNode entry, Map<String, String> renamed, Map<String, JsonNode> local) {
        entry.put("name", newName(entry.get("name").asText(), renamed, local));
        for (String field : new String[] {"arg-type", "ret-type", "element-type"}) {
            if (entry.has(field)) {
                entry.put(field, newName(entry.get(field).asText(), renamed, local));
            }
        }
        for (String list : new String[] {"members", "variants"}) {
            for (JsonNode m : entry.path(list)) {
                if (m.has("type")) {
                    ((ObjectNode) m).put("type", newName(m.get("type").asText(), renamed, local));
                }
            }
        }
    }

    private static String newName(String name, Map<String, String> renamed, Map<String, JsonNode> local) {
        String mapped = renamed.get(name);
        if (mapped != null) {
            return mapped;
        }
        JsonNode entry = local.get(name);
        if (entry != null && "array".equals(entry.path("meta-type").asText())) {
            return "[" + newName(entry.path("element-type").asText(), renamed, local) + "]";
        }
        return name;
    }
}
