package io.qmpd.qapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.json.QmpJsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchemaIntrospectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ArrayNode ours =
            Schema.forBackend(List.of(Schema.SIMULATED_MACHINE_RESOURCE)).introspect();

    static Path shared(String file) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/conformance").resolve(file);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(
                "shared/conformance/" + file + " not found above " + Path.of("").toAbsolutePath());
    }

    private static Map<String, JsonNode> byName(ArrayNode entities) {
        Map<String, JsonNode> map = new HashMap<>();
        entities.forEach(e -> map.put(e.get("name").asText(), e));
        return map;
    }

    private static List<String> references(JsonNode e) {
        List<String> refs = new ArrayList<>();
        for (String k : List.of("arg-type", "ret-type", "element-type")) {
            if (e.has(k)) {
                refs.add(e.get(k).asText());
            }
        }
        for (String k : List.of("members", "variants")) {
            e.path(k).forEach(m -> {
                if (m.has("type")) {
                    refs.add(m.get("type").asText());
                }
            });
        }
        return refs;
    }

    @Test
    void everyReferencedTypeIsListedExactlyOnce() {
        Set<String> names = new HashSet<>();
        ours.forEach(e -> assertThat(names.add(e.get("name").asText()))
                .as("duplicate %s", e)
                .isTrue());
        ours.forEach(e -> assertThat(names).as("references of %s", e).containsAll(references(e)));
    }

    @Test
    void everyListedTypeIsReachableFromACommandOrEvent() {
        Map<String, JsonNode> map = byName(ours);
        Set<String> reached = new HashSet<>();
        List<String> work = new ArrayList<>();
        ours.forEach(e -> {
            String meta = e.get("meta-type").asText();
            if (meta.equals("command") || meta.equals("event")) {
                work.add(e.get("name").asText());
            }
        });
        while (!work.isEmpty()) {
            String n = work.remove(work.size() - 1);
            if (reached.add(n)) {
                work.addAll(references(map.get(n)));
            }
        }
        assertThat(reached).hasSize(ours.size());
    }

    @Test
    void commandsAndEventsComeFirstThenTypesNumberedInOrderOfFirstUse() {
        int i = 0;
        while (ours.get(i).get("meta-type").asText().matches("command|event")) {
            i++;
        }
        assertThat(ours.get(0).get("name").asText()).isEqualTo("query-status");
        int expectedNumber = 0;
        for (; i < ours.size(); i++) {
            String meta = ours.get(i).get("meta-type").asText();
            assertThat(meta).isNotIn("command", "event");
            String name = ours.get(i).get("name").asText();
            if (name.matches("\\d+")) {
                assertThat(Integer.parseInt(name)).isEqualTo(expectedNumber++);
            }
        }
    }

    /** Replaces type numbers by what they stand for, so two schemas numbered differently compare. */
    private static JsonNode resolve(Map<String, JsonNode> map, String ref, Set<String> path) {
        if (ref.startsWith("[")) {
            return JSON.getNodeFactory().arrayNode().add(resolve(map, ref.substring(1, ref.length() - 1), path));
        }
        JsonNode e = map.get(ref);
        if (e == null || !ref.matches("\\d+") || !path.add(ref)) {
            return JSON.getNodeFactory().textNode(ref);
        }
        ObjectNode copy = e.deepCopy();
        copy.remove("name");
        for (String k : List.of("members", "variants")) {
            copy.path(k).forEach(m -> {
                if (m.has("type")) {
                    ((ObjectNode) m).set("type", resolve(map, m.get("type").asText(), path));
                }
            });
        }
        if (copy.has("element-type")) {
            copy.set("element-type", resolve(map, copy.get("element-type").asText(), path));
        }
        path.remove(ref);
        return copy;
    }

    private static JsonNode shape(Map<String, JsonNode> map, String entity) {
        ObjectNode e = map.get(entity).deepCopy();
        for (String k : List.of("arg-type", "ret-type")) {
            if (e.has(k)) {
                e.set(k, resolve(map, e.get(k).asText(), new HashSet<>()));
            }
        }
        return e;
    }

    @Test
    void sharedCommandsAndEventsHaveQemu72sShapes() throws IOException {
        Map<String, JsonNode> qemu = byName((ArrayNode)
                JSON.readTree(shared("query-qmp-schema.json").toFile()).get("return"));
        Map<String, JsonNode> mine = byName(ours);
        for (String name : List.of(
                "query-status",
                "query-version",
                "query-commands",
                "qmp_capabilities",
                "quit",
                "human-monitor-command",
                "getfd",
                "closefd",
                "chardev-remove",
                "chardev-send-break",
                "query-chardev",
                "query-chardev-backends",
                "ringbuf-write",
                "ringbuf-read",
                "qom-list",
                "qom-get",
                "object-del",
                "stop",
                "cont",
                "system_reset",
                "system_powerdown",
                "query-name",
                "query-uuid",
                "query-kvm",
                "query-cpus-fast",
                "query-yank",
                "yank",
                "migrate-pause",
                "query-qmp-schema",
                "SHUTDOWN",
                "POWERDOWN",
                "RESET",
                "STOP",
                "RESUME")) {
            assertThat(shape(mine, name)).as(name).isEqualTo(shape(qemu, name));
        }
    }

    @Test
    void writtenEntitiesMatchQemusBytes() throws IOException {
        String raw = Files.readString(shared("query-qmp-schema.raw"), StandardCharsets.UTF_8);
        Map<String, JsonNode> mine = byName(ours);
        for (String name : List.of("query-status", "migrate-pause", "STOP", "str", "int", "[int]")) {
            JsonNode e = mine.get(name);
            if (e == null) {
                continue; // "[int]" is only listed when something uses it
            }
            String written = new String(QmpJsonWriter.message(e, false), StandardCharsets.US_ASCII).strip();
            assertThat(raw).as(name).contains(written);
        }
        // an optional member, a member feature, an enum with its two lists: compare member text
        String chardevReturnMembers = "{\"name\": \"pty\", \"default\": null, \"type\": \"str\"}";
        assertThat(raw).contains(chardevReturnMembers);
        assertThat(written(mine, "ChardevReturn")).contains(chardevReturnMembers);
    }

    private String written(Map<String, JsonNode> mine, String declared) {
        for (JsonNode e : ours) {
            String text = new String(QmpJsonWriter.message(e, false), StandardCharsets.US_ASCII);
            if (e.path("members").size() == 1
                    && e.path("members").get(0).path("name").asText().equals("pty")) {
                return text;
            }
        }
        throw new AssertionError(declared + " not found");
    }

    @Test
    void oobCommandsAreMarkedAndOthersAreNot() {
        List<String> oob = new ArrayList<>();
        ours.forEach(e -> {
            if (e.path("allow-oob").asBoolean(false)) {
                oob.add(e.get("name").asText());
            }
        });
        assertThat(oob).containsExactly("yank", "query-yank", "migrate-pause");
    }

    @Test
    void qmpdsOwnMonitorCommandsAreListed() {
        Map<String, JsonNode> mine = byName(ours);
        assertThat(mine).containsKeys("monitor-add", "monitor-remove", "query-monitors");
        assertThat(mine).doesNotContainKey("query-events");
    }
}
