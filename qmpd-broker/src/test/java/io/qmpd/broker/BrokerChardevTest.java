package io.qmpd.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.NothingLeaks;
import io.qmpd.testing.QmpTestClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Chardevs on two sides (ADR 12), on a real QEMU 7.2: one a session adds is QEMU's, for QEMU's
 * devices and for every client of QEMU, until a monitor claims it; the views answer for both.
 */
@ExtendWith(NothingLeaks.class)
@Timeout(60)
class BrokerChardevTest {

    private static final String OK = "{\"return\": {}}\r\n";

    private BrokerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = BrokerFixture.startOrSkip("qmpd-broker-chr-");
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
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

    @Test
    void queryChardevListsQemusChardevsThenQmpds() {
        try (QmpTestClient session = fixture.session().negotiate()) {
            assertThat(session.call(ringbufAdd("rb"))).isEqualTo(OK);
            String qemus;
            try (QmpTestClient qemu = fixture.direct().negotiate()) {
                qemus = qemu.call("{\"execute\": \"query-chardev\"}");
            }
            String all = session.call("{\"execute\": \"query-chardev\"}");
            // the direct monitor's own socket is "disconnected:" in one list: its client had left
            String qemuList = qemus.substring("{\"return\": [".length(), qemus.length() - "]}\r\n".length());
            assertThat(all.replace("disconnected:", ""))
                    .as("QEMU's list, then the session's chardev of qmpd's")
                    .startsWith("{\"return\": [" + qemuList.replace("disconnected:", "") + ", ")
                    .contains("\"label\": \"s0\"")
                    .endsWith("]}\r\n");
        }
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
