package io.qmpd.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.NothingLeaks;
import io.qmpd.testing.QmpTestClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sessions through the broker against a monitor of the same real QEMU 7.2: what a client sees
 * must be what QEMU's own monitor shows it, byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NothingLeaks.class)
@Timeout(60)
class BrokerSessionTest {

    private BrokerFixture fixture;

    @BeforeAll
    void start() throws Exception {
        fixture = BrokerFixture.startOrSkip("qmpd-broker-");
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aSessionIsGreetedAsQemuGreetsItsOwnMonitors() {
        try (QmpTestClient direct = fixture.direct();
                QmpTestClient session = fixture.session()) {
            assertThat(session.next()).isEqualTo(direct.next()).contains("\"capabilities\": [\"oob\"]");
        }
    }

    /** Requests whose answers do not depend on what other tests did to the machine. */
    private static final List<String> STATELESS = List.of(
            "{\"execute\": \"query-version\", \"id\": {\"a\": [1, null, 1.5, -7, \"x\", true]}}",
            "{\"execute\": \"query-status\"}",
            "{\"execute\": \"query-name\", \"id\": null}",
            "{\"execute\": \"query-kvm\", \"id\": 18446744073709551615}",
            "{\"execute\": \"nonesuch\", \"id\": []}",
            "{\"execute\": \"nonesuch\\u00e9\", \"id\": \"\\u2603 snow\"}",
            "{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/nope\"}, \"id\": 1}",
            "{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/machine\"}, \"id\": 1}",
            "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/machine\"}, \"id\": 2}",
            "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/machine\", \"property\": \"type\", \"x\": 1}, \"id\": 3}",
            "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/machine\", \"property\": \"type\"}, \"id\": 3.25}",
            "{\"execute\": \"query-status\", \"arguments\": {\"x\": 1}, \"id\": 4}",
            "{\"execute\": \"query-cpus-fast\", \"arguments\": {}, \"id\": 5}",
            "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"info version\"}, \"id\": 6}",
            "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"nonesuch\"}, \"id\": 7}",
            "{\"execute\": \"device_del\", \"arguments\": {\"id\": \"nope\"}, \"id\": 8}",
            "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"nonesuch\", \"id\": \"o\"}, \"id\": 9}",
            "{\"execute\": \"object-del\", \"arguments\": {\"id\": \"nope\"}, \"id\": 10}",
            "{\"execute\": \"query-yank\", \"id\": 11}",
            "{\"execute\": \"qmp_capabilities\", \"id\": 12}",
            "{\"execute\": \"query-version\", \"id\": 13}");

    @Test
    void repliesAreQemusByteForByteWithTheClientsIds() {
        try (QmpTestClient direct = fixture.direct().negotiate();
                QmpTestClient session = fixture.session().negotiate()) {
            for (String request : STATELESS) {
                String expected = direct.call(request);
                assertThat(session.call(request)).as(request).isEqualTo(expected);
            }
        }
    }

    @Test
    void aPrettySessionGetsWhatAPrettyMonitorOfQemusPrints() {
        try (QmpTestClient direct = fixture.directPretty();
                QmpTestClient session = fixture.prettySession()) {
            assertThat(session.next()).isEqualTo(direct.next());
            for (String request : STATELESS) {
                assertThat(readReply(session, request)).as(request).isEqualTo(readReply(direct, request));
            }
        }
    }

    /** A pretty-printed reply: its lines up to the one that closes it. */
    private static String readReply(QmpTestClient client, String request) {
        client.send(request + "\n");
        StringBuilder reply = new StringBuilder();
        String line;
        do {
            line = client.next();
            reply.append(line);
        } while (!line.equals("}\r\n"));
        return reply.toString();
    }

    @Test
    void eventsReachEveryNegotiatedSessionWithQemusTimestampAfterTheirCause() {
        try (QmpTestClient a = fixture.session().negotiate();
                QmpTestClient b = fixture.session().negotiate();
                QmpTestClient negotiating = fixture.session()) {
            negotiating.next(); // greeting only: no events before qmp_capabilities
            assertThat(a.ask("{\"execute\": \"cont\", \"id\": \"c\"}")).contains("\"event\": \"RESUME\"");
            assertThat(a.line()).isEqualTo("{\"return\": {}, \"id\": \"c\"}");
            String stop = a.ask("{\"execute\": \"stop\", \"id\": \"s\"}");
            assertThat(stop).contains("\"event\": \"STOP\"");
            assertThat(a.line()).isEqualTo("{\"return\": {}, \"id\": \"s\"}");
            assertThat(b.line()).contains("\"event\": \"RESUME\"");
            assertThat(b.line()).isEqualTo(stop); // QEMU's timestamp, not one of qmpd's
            assertThat(negotiating.ask("{\"execute\": \"qmp_capabilities\"}")).isEqualTo("{\"return\": {}}");
        }
    }

    @Test
    void collidingIdsOnAHundredPipeliningSessionsEachGetTheirOwnReplies() {
        List<QmpTestClient> sessions = new ArrayList<>();
        try {
            for (int s = 0; s < 100; s++) {
                sessions.add(fixture.session().negotiate());
            }
            for (int s = 0; s < sessions.size(); s++) {
                StringBuilder burst = new StringBuilder();
                for (int i = 0; i < 8; i++) {
                    burst.append("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/nope-")
                            .append(s)
                            .append('-')
                            .append(i)
                            .append("\"}, \"id\": \"same\"}\n");
                }
                sessions.get(s).send(burst.toString());
            }
            for (int s = 0; s < sessions.size(); s++) {
                for (int i = 0; i < 8; i++) {
                    assertThat(sessions.get(s).line())
                            .isEqualTo("{\"id\": \"same\", \"error\": {\"class\": \"DeviceNotFound\", "
                                    + "\"desc\": \"Device '/nope-" + s + "-" + i + "' not found\"}}");
                }
            }
        } finally {
            sessions.forEach(QmpTestClient::close);
        }
    }

    @Test
    void queryCommandsListsQemusCommandsAndQmpdsOnce() {
        try (QmpTestClient session = fixture.session().negotiate()) {
            String reply = session.call("{\"execute\": \"query-commands\"}");
            assertThat(reply).contains("{\"name\": \"monitor-add\"}", "{\"name\": \"query-cpus-fast\"}");
            assertThat(reply.split("\\{\"name\": \"query-version\"\\}", -1)).hasSize(2);
        }
    }
}
