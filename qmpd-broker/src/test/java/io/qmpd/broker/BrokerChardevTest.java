package io.qmpd.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmpd.testing.NothingLeaks;
import io.qmpd.testing.QmpTestClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Chardevs on two sides (ADR 12), on a real QEMU 7.2: one a session adds is QEMU's, for QEMU's
 * devices and for every client of QEMU, until a monitor claims it; the views answer for both.
 */
@ExtendWith(NothingLeaks.class)
@Timeout(60)
class BrokerChardevTest extends PerTestBroker {

    private static final String OK = "{\"return\": {}}\r\n";

    BrokerChardevTest() {
        super("qmpd-broker-chr-");
    }

    private static String ringbufAdd(String id) {
        return "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"" + id
                + "\", \"backend\": {\"type\": \"ringbuf\", \"data\": {\"size\": 1024}}}}";
    }

    @Test
    void aChardevAddedThroughASessionIsQemusForEveryClientOfQemu() {
        try (QmpTestClient session = fixture.session().negotiate()) {
            assertThat(session.call(ringbufAdd("rb"))).isEqualTo(OK);
            assertThat(
                            session.call(
                                    "{\"execute\": \"ringbuf-write\", \"arguments\": {\"device\": \"rb\", \"data\": \"hello\"}}"))
                    .isEqualTo(OK);
            try (QmpTestClient qemu = fixture.direct().negotiate()) {
                assertThat(qemu.call("{\"execute\": \"query-chardev\"}"))
                        .as("QEMU's own list, on a monitor of QEMU's")
                        .contains("{\"frontend-open\": false, \"filename\": \"ringbuf\", \"label\": \"rb\"}");
                assertThat(qemu.call(
                                "{\"execute\": \"ringbuf-read\", \"arguments\": {\"device\": \"rb\", \"size\": 5}}"))
                        .as("what the session wrote is in QEMU's ring buffer")
                        .isEqualTo("{\"return\": \"hello\"}\r\n");
            }
            assertThat(session.call("{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"rb\", "
                            + "\"backend\": {\"type\": \"null\", \"data\": {}}}}"))
                    .as("QEMU's answer for an id it holds")
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Chardev with id 'rb' already exists\"}}\r\n");
            assertThat(session.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"rb\"}}"))
                    .isEqualTo(OK);
            try (QmpTestClient qemu = fixture.direct().negotiate()) {
                assertThat(qemu.call("{\"execute\": \"query-chardev\"}")).doesNotContain("\"label\": \"rb\"");
            }
        }
    }

    /** chardev-change and chardev-remove go to the side that holds the id, with that side's rules. */
    @Test
    void changeAndRemoveGoToTheSideThatHoldsTheChardevWithItsRules() {
        try (QmpTestClient session = fixture.session().negotiate()) {
            assertThat(session.call(ringbufAdd("rb"))).isEqualTo(OK);
            assertThat(session.call("{\"execute\": \"chardev-change\", \"arguments\": {\"id\": \"rb\", "
                            + "\"backend\": {\"type\": \"null\", \"data\": {}}}}"))
                    .isEqualTo(OK);
            String direct;
            try (QmpTestClient qemu = fixture.direct().negotiate()) {
                assertThat(qemu.call("{\"execute\": \"query-chardev\"}"))
                        .as("changed on QEMU")
                        .contains("{\"frontend-open\": false, \"filename\": \"null\", \"label\": \"rb\"}");
                direct = qemu.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"compat_monitor2\"}}");
            }
            assertThat(session.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"compat_monitor2\"}}"))
                    .as("a chardev one of QEMU's monitors uses: QEMU's busy rule, as QEMU says it to its own client")
                    .isEqualTo(direct)
                    .contains("is busy");
            assertThat(session.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"s0\"}}"))
                    .as("the session's own chardev, qmpd's, serves this monitor")
                    .isEqualTo("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Chardev 's0' is busy\"}}\r\n");
            assertThat(session.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"rb\"}}"))
                    .isEqualTo(OK);
        }
    }

    /**
     * One list for both sides, each chardev once, the broker's own connection left out; their
     * order, that of one QEMU holding them all, is checked against QEMU's recordings (conformance
     * cases 085-104) and by the differential test.
     */
    @Test
    void queryChardevListsQemusChardevsAndQmpdsAsOne() throws Exception {
        try (QmpTestClient session = fixture.session().negotiate()) {
            assertThat(session.call(ringbufAdd("rb"))).isEqualTo(OK);
            List<String> qemus;
            try (QmpTestClient qemu = fixture.direct().negotiate()) {
                qemus = labels(qemu.call("{\"execute\": \"query-chardev\"}"));
            }
            List<String> expected = new ArrayList<>(qemus);
            expected.remove(fixture.upstreamChardev());
            expected.add("s0"); // the session's own chardev, qmpd's
            assertThat(labels(session.call("{\"execute\": \"query-chardev\"}")))
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(session.call("{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/chardevs/s0\", "
                            + "\"property\": \"type\"}}"))
                    .as("a chardev qmpd holds, answered by qmpd")
                    .isEqualTo("{\"return\": \"chardev-socket\"}\r\n");
            assertThat(session.call("{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/chardevs/rb\", "
                            + "\"property\": \"type\"}}"))
                    .as("one QEMU holds, answered by QEMU")
                    .isEqualTo("{\"return\": \"chardev-ringbuf\"}\r\n");
        }
    }

    private static List<String> labels(String reply) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode chardev : new ObjectMapper().readTree(reply).get("return")) {
            out.add(chardev.get("label").asText());
        }
        return out;
    }

    @Test
    void aMonitorClaimsAChardevQemuHeldAndQmpdsBusyRuleThenApplies() throws Exception {
        try (QmpTestClient manager = fixture.session().negotiate()) {
            Path path = fixture.dir.resolve("claimed.sock");
            assertThat(manager.call("{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"claimed\", "
                            + "\"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", "
                            + "\"data\": {\"path\": \"" + path + "\"}}, \"server\": true, \"wait\": false}}}}"))
                    .isEqualTo(OK);
            try (QmpTestClient qemu = fixture.direct().negotiate()) {
                assertThat(qemu.call("{\"execute\": \"query-chardev\"}")).contains("\"label\": \"claimed\"");
            }
            assertThat(manager.call(
                            "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"m\", \"chardev\": \"claimed\"}}"))
                    .isEqualTo(OK);
            try (QmpTestClient qemu = fixture.direct().negotiate()) {
                assertThat(qemu.call("{\"execute\": \"query-chardev\"}"))
                        .as("moved to qmpd")
                        .doesNotContain("\"label\": \"claimed\"");
            }
            try (QmpTestClient client = QmpTestClient.connect(path).negotiate()) {
                assertThat(client.call("{\"execute\": \"query-status\", \"id\": 1}"))
                        .as("a session on QEMU through the claimed chardev")
                        .isEqualTo(
                                "{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}, \"id\": 1}\r\n");
                assertThat(manager.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"claimed\"}}"))
                        .as("qmpd's busy rule, in QEMU's words")
                        .isEqualTo(
                                "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Chardev 'claimed' is busy\"}}\r\n");
            }
            assertThat(manager.call("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"m\"}}"))
                    .isEqualTo(OK);
            assertThat(manager.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"claimed\"}}"))
                    .isEqualTo(OK);
        }
    }
}
