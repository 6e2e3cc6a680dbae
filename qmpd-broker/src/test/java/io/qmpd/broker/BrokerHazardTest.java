package io.qmpd.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.NothingLeaks;
import io.qmpd.testing.QmpTestClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sessions that go away while their commands are in QEMU's hands. QEMU is held with SIGSTOP so
 * that a command stays in flight upstream for as long as the test needs: no timing is guessed.
 * Its late answer must reach nobody, least of all the next client on the same chardev.
 */
@ExtendWith(NothingLeaks.class)
@Timeout(120)
class BrokerHazardTest extends PerTestBroker {

    private QmpTestClient manager;
    private int added;

    BrokerHazardTest() {
        super("qmpd-broker-hazard-");
    }

    @BeforeEach
    void negotiateManager() {
        manager = fixture.session().negotiate();
    }

    /** Before the broker's own tear-down: QEMU may still be held with SIGSTOP. */
    @AfterEach
    void releaseQemu() throws Exception {
        if (manager != null) {
            fixture.qemu.signal("CONT");
            manager.close();
        }
    }

    /** A chardev and a monitor on it, added through the manager's session as a manager would. */
    private Path addMonitor(String id) {
        Path path = fixture.dir.resolve("d" + added++ + ".sock");
        assertThat(manager.call("{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"" + id + "\", \"backend\": "
                        + "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \""
                        + path + "\"}}, \"server\": true, \"wait\": false}}}}"))
                .isEqualTo("{\"return\": {}}\r\n");
        assertThat(manager.call("{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"" + id + "\", \"chardev\": \""
                        + id + "\"}}"))
                .isEqualTo("{\"return\": {}}\r\n");
        return path;
    }

    @Test
    void aSessionRemovedWithACommandInFlightUpstreamNeverGetsItsReplyNorDoesTheNextOne() throws Exception {
        Path path = addMonitor("a");
        try (QmpTestClient a = QmpTestClient.connect(path).negotiate();
                QmpTestClient b = fixture.session().negotiate()) {
            fixture.qemu.signal("STOP");
            a.send("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/for-a\"}, \"id\": 1}\n");
            b.send("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/for-b\"}, \"id\": 1}\n");
            assertThat(manager.call("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"a\"}}"))
                    .as("answered by qmpd while QEMU is stopped")
                    .isEqualTo("{\"return\": {}}\r\n");
            assertThat(a.drainToEof())
                    .as("removed before QEMU answered: no reply")
                    .isEmpty();
            assertThat(manager.call(
                            "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"a2\", \"chardev\": \"a\"}}"))
                    .isEqualTo("{\"return\": {}}\r\n");
            try (QmpTestClient next = QmpTestClient.connect(path).negotiate()) {
                fixture.qemu.signal("CONT");
                assertThat(b.line())
                        .isEqualTo("{\"id\": 1, \"error\": {\"class\": \"DeviceNotFound\", "
                                + "\"desc\": \"Device '/for-b' not found\"}}");
                assertThat(next.call("{\"execute\": \"query-name\", \"id\": 1}"))
                        .as("the next client on the chardev gets its own reply, not the removed session's")
                        .isEqualTo("{\"return\": {}, \"id\": 1}\r\n");
            }
        }
    }

    @Test
    void aClientThatLeavesMidCommandIsNoticedAtOnceAndLeavesNoReplyForTheNextClient() throws Exception {
        Path path = addMonitor("m");
        try (QmpTestClient first = QmpTestClient.connect(path).negotiate()) {
            fixture.qemu.signal("STOP");
            first.send("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/for-first\"}, \"id\": 1}\n");
        }
        try (QmpTestClient second = QmpTestClient.connect(path)) {
            assertThat(second.next())
                    .as("greeted while the first client's command still waits for QEMU, as QEMU's hang-up watch does")
                    .startsWith("{\"QMP\": ");
            fixture.qemu.signal("CONT"); // the monitor runs one command at a time: the first one's ends first
            assertThat(second.call("{\"execute\": \"qmp_capabilities\"}")).isEqualTo("{\"return\": {}}\r\n");
            assertThat(second.call("{\"execute\": \"query-name\", \"id\": 1}"))
                    .as("same id, same monitor, next client: its own reply only")
                    .isEqualTo("{\"return\": {}, \"id\": 1}\r\n");
        }
    }

    @Test
    void aSessionThatStopsReadingIsDroppedPastItsOutputBoundWhileOthersKeepBeingAnswered() throws Exception {
        Path path = addMonitor("slow");
        String help = "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"help\"}}";
        int replies = 8 * 1024 * 1024 / manager.call(help).length() + 20; // QEMU's answers past the 8 MiB bound
        try (QmpTestClient slow = QmpTestClient.connect(path).negotiate()) {
            slow.send((help + "\n").repeat(replies));
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!manager.call("{\"execute\": \"query-chardev\"}").contains("\"disconnected:unix:" + path)) {
                assertThat(manager.call("{\"execute\": \"query-name\", \"id\": \"other\"}"))
                        .as("another session, answered by QEMU meanwhile")
                        .isEqualTo("{\"return\": {}, \"id\": \"other\"}\r\n");
                assertThat(System.nanoTime())
                        .as("slow session dropped within 60 s")
                        .isLessThan(deadline);
            }
            assertThat(slow.drainToEof().size())
                    .as("answers that reached the slow session")
                    .isLessThan(replies);
        }
        try (QmpTestClient next = QmpTestClient.connect(path).negotiate()) {
            assertThat(next.call("{\"execute\": \"query-name\", \"id\": 1}"))
                    .isEqualTo("{\"return\": {}, \"id\": 1}\r\n");
        }
    }

    @Test
    void sessionsComingAndGoingUnderLoadOnlyEverSeeTheirOwnReplies() throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<QmpTestClient> stayed = new ArrayList<>();
        List<Integer> stayedIds = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            QmpTestClient c = fixture.session().negotiate();
            int commands = 1 + random.nextInt(8);
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < commands; i++) {
                burst.append("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/r")
                        .append(round)
                        .append("-")
                        .append(i)
                        .append("\"}, \"id\": ")
                        .append(i)
                        .append("}\n");
            }
            c.send(burst.toString());
            if (random.nextBoolean()) {
                c.close(); // leaves with commands queued and in flight
            } else {
                stayed.add(c);
                stayedIds.add(round * 100 + commands);
            }
        }
        for (int s = 0; s < stayed.size(); s++) {
            int round = stayedIds.get(s) / 100;
            int commands = stayedIds.get(s) % 100;
            for (int i = 0; i < commands; i++) {
                assertThat(stayed.get(s).line())
                        .isEqualTo(
                                "{\"id\": " + i + ", \"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Device '/r"
                                        + round + "-" + i + "' not found\"}}");
            }
            stayed.get(s).close();
        }
        assertThat(manager.call("{\"execute\": \"query-status\", \"id\": \"alive\"}"))
                .contains("\"id\": \"alive\"");
    }
}
