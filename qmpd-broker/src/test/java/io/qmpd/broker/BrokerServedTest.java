package io.qmpd.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmpd.testing.NothingLeaks;
import io.qmpd.testing.QmpTestClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the broker serves itself in front of a real QEMU 7.2: the merged schema, QEMU 11.1's
 * monitor objects beside QEMU's own object types, and fairness between a flooding session and a
 * quiet one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NothingLeaks.class)
@Timeout(60)
class BrokerServedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BrokerFixture fixture;

    @BeforeAll
    void start() throws Exception {
        fixture = BrokerFixture.startOrSkip("qmpd-broker-served-");
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void theMergedSchemaHasQemusEntriesAndQmpdsCommandsAndStaysValid() throws Exception {
        try (QmpTestClient session = fixture.session().negotiate();
                QmpTestClient direct = fixture.direct().negotiate()) {
            JsonNode merged = JSON.readTree(session.call("{\"execute\": \"query-qmp-schema\"}"))
                    .get("return");
            JsonNode qemus = JSON.readTree(direct.call("{\"execute\": \"query-qmp-schema\"}"))
                    .get("return");
            for (int i = 0; i < qemus.size(); i++) {
                assertThat(merged.get(i))
                        .as("QEMU's entry %d, in QEMU's order", i)
                        .isEqualTo(qemus.get(i));
            }
            Set<String> names = new HashSet<>();
            List<String> commands = new ArrayList<>();
            for (JsonNode entry : merged) {
                assertThat(names.add(entry.get("name").asText()))
                        .as("unique name %s", entry.get("name"))
                        .isTrue();
                if (entry.get("meta-type").asText().equals("command")) {
                    commands.add(entry.get("name").asText());
                }
            }
            for (JsonNode entry : merged) {
                for (String reference : references(entry)) {
                    assertThat(names)
                            .as("%s refers to %s", entry.get("name"), reference)
                            .contains(reference);
                }
            }
            assertThat(commands).contains("monitor-add", "monitor-remove", "query-monitors", "query-cpus-fast");
            assertThat(merged.size()).isGreaterThan(qemus.size());
        }
    }

    private static List<String> references(JsonNode entry) {
        List<String> out = new ArrayList<>();
        for (String field : List.of("arg-type", "ret-type", "element-type")) {
            if (entry.has(field)) {
                out.add(entry.get(field).asText());
            }
        }
        for (String list : List.of("members", "variants")) {
            for (JsonNode m : entry.path(list)) {
                if (m.has("type")) {
                    out.add(m.get("type").asText());
                }
            }
        }
        return out;
    }

    @Test
    void monitorObjectsAreQmpdsAndOtherObjectsQemus() throws Exception {
        Path path = fixture.dir.resolve("obj.sock");
        try (QmpTestClient manager = fixture.session().negotiate();
                QmpTestClient direct = fixture.direct().negotiate()) {
            assertThat(manager.call("{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"oc\", \"backend\": "
                            + "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \""
                            + path + "\"}}, \"server\": true, \"wait\": false}}}}"))
                    .isEqualTo("{\"return\": {}}\r\n");
            assertThat(manager.call("{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"monitor-qmp\", "
                            + "\"id\": \"om\", \"chardev\": \"oc\", \"close-action\": \"delete\"}}"))
                    .isEqualTo("{\"return\": {}}\r\n");
            try (QmpTestClient client = QmpTestClient.connect(path).negotiate()) {
                assertThat(client.call("{\"execute\": \"query-status\", \"id\": 1}"))
                        .contains("\"id\": 1}");
            }
            assertThat(manager.call("{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"iothread\", "
                            + "\"id\": \"io1\"}}"))
                    .as("not a monitor: QEMU's")
                    .isEqualTo("{\"return\": {}}\r\n");
            assertThat(direct.call("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/objects\"}}"))
                    .contains("{\"name\": \"io1\", \"type\": \"child<iothread>\"}")
                    .doesNotContain("\"om\"");
            assertThat(manager.call("{\"execute\": \"object-del\", \"arguments\": {\"id\": \"io1\"}}"))
                    .isEqualTo("{\"return\": {}}\r\n");
            assertThat(manager.call("{\"execute\": \"object-del\", \"arguments\": {\"id\": \"io1\"}}"))
                    .as("QEMU's answer for an object it no longer has")
                    .isEqualTo(direct.call("{\"execute\": \"object-del\", \"arguments\": {\"id\": \"io1\"}}"));
            long deadline = System.nanoTime() + 5_000_000_000L;
            String monitors;
            do { // the client's end reaches the monitor through the event loop: bounded poll
                monitors = manager.call("{\"execute\": \"query-monitors\"}");
            } while (monitors.contains("\"om\"") && System.nanoTime() < deadline);
            assertThat(monitors).as("close-action=delete: gone with its client").doesNotContain("\"om\"");
            assertThat(manager.call("{\"execute\": \"query-chardev\"}")).doesNotContain("\"oc\"");
        }
    }

    @Test
    void aFloodingSessionDelaysAQuietOneByAFewCommandsAtMost() throws Exception {
        try (QmpTestClient flood = fixture.session().negotiate();
                QmpTestClient quiet = fixture.session().negotiate()) {
            int backlog = 2000;
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < backlog; i++) {
                burst.append("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/machine\"}, \"id\": ")
                        .append(i)
                        .append("}\n");
            }
            flood.send(burst.toString());
            // the quiet session's command makes QEMU emit an event, which marks in the flooding
            // session's stream how many of its commands QEMU had run before the quiet one's
            quiet.send("{\"execute\": \"cont\", \"id\": \"q\"}\n");
            String event = quiet.line();
            assertThat(event).contains("\"event\": \"RESUME\"");
            assertThat(quiet.line()).isEqualTo("{\"return\": {}, \"id\": \"q\"}");
            int before = 0;
            String line;
            while (!(line = flood.line()).contains("\"event\"")) {
                before++;
            }
            assertThat(before)
                    .as("commands of the flooding session QEMU ran before the quiet one's")
                    .isLessThan(20);
            for (int i = before; i < backlog; i++) {
                assertThat(flood.line()).endsWith("\"id\": " + i + "}");
            }
            quiet.call("{\"execute\": \"stop\"}");
        }
    }
}
