package io.qmpd.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Re-prints what QEMU 7.2 sent in the recorded sessions and expects the same bytes.
 *
 * <p>Jackson keeps members in wire order. QEMU printed same-bucket members most recent first, so
 * a QDict holding them in that order was filled in the reverse of the wire order. The test
 * therefore rebuilds every object inserting its members in reverse wire order; bucket order does
 * not depend on insertion, so the writer must then reproduce the wire exactly.
 */
class ConformanceRoundTripTest {

    /** QEMU accepts (and echoes as id) values nested 1024 deep; Jackson's default stops at 1000. */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(2048).build())
            .build());

    @Test
    void everyQmpLineQemuSentIsReprintedByteForByte() throws IOException {
        List<Path> cases;
        try (Stream<Path> files = Files.list(SharedConformance.directory().resolve("cases"))) {
            cases = files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        int lines = 0;
        List<String> mismatches = new ArrayList<>();
        for (Path file : cases) {
            JsonNode session = MAPPER.readTree(file.toFile());
            JsonNode sockets = session.get("sockets");
            for (JsonNode exchange : session.get("exchanges")) {
                if (!exchange.path("dir").asText().equals("recv")
                        || !sockets.get(exchange.get("conn").asInt()).asText().startsWith("qmp")) {
                    continue;
                }
                String wire = exchange.get("data").asText();
                if (!wire.startsWith("{")
                        || !wire.endsWith("}\r\n")
                        || exchange.path("note").asText().contains("abbreviated")) {
                    continue;
                }
                String again = new String(
                        QmpJsonWriter.message(asQemuFilledIt(MAPPER.readTree(wire)), false), StandardCharsets.US_ASCII);
                if (!again.equals(wire)) {
                    mismatches.add(file.getFileName() + ": " + wire.strip() + " -> " + again.strip());
                }
                lines++;
            }
        }
        assertThat(lines).isGreaterThan(200);
        assertThat(mismatches).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"query-qmp-schema.raw", "query-commands.raw"})
    void completeIntrospectionRepliesAreReprintedByteForByte(String file) throws IOException {
        byte[] wire = Files.readAllBytes(SharedConformance.directory().resolve(file));
        JsonNode reply = MAPPER.readTree(wire);
        assertThat(new String(QmpJsonWriter.message(asQemuFilledIt(reply), false), StandardCharsets.US_ASCII))
                .isEqualTo(new String(wire, StandardCharsets.US_ASCII));
    }

    @Test
    void sameBucketMembersInsertedInWireOrderComeOutReversed() throws IOException {
        String wire = "{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"\"}}\r\n";
        String again = new String(QmpJsonWriter.message(MAPPER.readTree(wire), false), StandardCharsets.US_ASCII);
        assertThat(again)
                .isEqualTo(
                        "{\"return\": {\"qemu\": {\"minor\": 2, \"micro\": 22, \"major\": 7}, \"package\": \"\"}}\r\n");
    }

    /** A copy of {@code node} whose objects got their members in reverse wire order. */
    static JsonNode asQemuFilledIt(JsonNode node) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (int i = members.size() - 1; i >= 0; i--) {
                copy.set(members.get(i).getKey(), asQemuFilledIt(members.get(i).getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(asQemuFilledIt(element)));
            return copy;
        }
        return node;
    }
}
