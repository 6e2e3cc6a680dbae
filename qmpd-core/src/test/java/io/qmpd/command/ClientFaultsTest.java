package io.qmpd.command;

import static io.qmpd.command.HotplugFixture.OK;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.NothingLeaks;
import io.qmpd.testing.QmpTestClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Faults over real unix sockets: hostile clients never disturb the server or other monitors. */
@ExtendWith(NothingLeaks.class)
class ClientFaultsTest {

    private static final String REQUEST = "{\"execute\": \"query-status\", \"id\": 1}\n";
    private static final String STATUS =
            "{\"return\": {\"status\": \"running\", \"singlestep\": false, " + "\"running\": true}, \"id\": 1}\r\n";

    @Test
    void aClientLeavingAtEveryByteOffsetOfARequestLeavesTheMonitorServingTheNextClient() {
        try (HotplugFixture f = new HotplugFixture()) {
            Path path = f.dynamicMonitor("dyn");
            for (int cut = 0; cut <= REQUEST.length(); cut++) {
                try (QmpTestClient c = QmpTestClient.connect(path)) {
                    c.negotiate();
                    c.send(REQUEST.substring(0, cut));
                }
            }
            QmpTestClient next = f.connect(path).negotiate();
            assertThat(next.call(REQUEST.trim())).isEqualTo(STATUS);
            assertThat(f.ctl.call("{\"execute\": \"query-name\"}")).isEqualTo("{\"return\": {}}\r\n");
        }
    }

    @Test
    void clientsThatConnectAndLeaveAtOnceManyTimesLeaveNothingBehind() {
        try (HotplugFixture f = new HotplugFixture()) {
            Path path = f.dynamicMonitor("dyn");
            for (int i = 0; i < 300; i++) {
                QmpTestClient.connect(path).close();
            }
            QmpTestClient next = f.connect(path).negotiate();
            assertThat(next.call(REQUEST.trim())).isEqualTo(STATUS);
        }
    }

    @Test
    void aClientThatNeverReadsIsDisconnectedPastItsOutputLimitWhileOthersKeepWorking() {
        try (HotplugFixture f = new HotplugFixture()) {
            Path path = f.dynamicMonitor("slow");
            QmpTestClient slow = f.connect(path).negotiate();
            // enough schema replies to pass the 8 MiB output limit, and some
            int replies = 8
                            * 1024
                            * 1024
                            / f.ctl.call("{\"execute\": \"query-qmp-schema\"}").length()
                    + 20;
            slow.send("{\"execute\": \"query-qmp-schema\"}\n".repeat(replies));
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!f.ctl.call("{\"execute\": \"query-chardev\"}").contains("\"disconnected:unix:" + path)) {
                assertThat(f.ctl.call("{\"execute\": \"query-name\"}")).isEqualTo("{\"return\": {}}\r\n");
                assertThat(System.nanoTime())
                        .as("slow client disconnected within 20 s")
                        .isLessThan(deadline);
            }
            List<String> got = slow.drainToEof();
            assertThat(got.size()).as("replies that reached the slow client").isLessThan(replies);
            QmpTestClient next = f.connect(path).negotiate();
            assertThat(next.call(REQUEST.trim())).isEqualTo(STATUS);
        }
    }

    @Test
    void repliesLargerThanTheOutputLimitReachEveryClientThatReads() {
        try (HotplugFixture f = new HotplugFixture()) {
            QmpTestClient other = f.connect(f.dynamicMonitor("other")).negotiate();
            String id = "c" + "x".repeat(9_000_000);
            assertThat(f.ctl.call("{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"" + id
                            + "\", \"backend\": {\"type\": \"null\", \"data\": {}}}}"))
                    .isEqualTo(OK);
            for (QmpTestClient c : List.of(f.ctl, other)) {
                assertThat(c.call("{\"execute\": \"query-chardev\"}")).contains("\"label\": \"" + id + "\"");
            }
            assertThat(f.ctl.call("{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"ring\", \"backend\": "
                            + "{\"type\": \"ringbuf\", \"data\": {\"size\": 16777216}}}}"))
                    .isEqualTo(OK);
            String nineMb = "y".repeat(9_000_000);
            assertThat(f.ctl.call("{\"execute\": \"ringbuf-write\", \"arguments\": {\"device\": \"ring\", "
                            + "\"data\": \"" + nineMb + "\"}}"))
                    .isEqualTo(OK);
            assertThat(other.call("{\"execute\": \"ringbuf-read\", \"arguments\": {\"device\": \"ring\", "
                            + "\"size\": 9000000}}"))
                    .isEqualTo("{\"return\": \"" + nineMb + "\"}\r\n");
        }
    }

    @Test
    void aChardevRemovedWhileItsClientIsMidRequestClosesTheClientAndNothingElse() {
        try (HotplugFixture f = new HotplugFixture()) {
            Path path = f.dynamicMonitor("dyn");
            QmpTestClient c = f.connect(path).negotiate();
            c.send("{\"execute\": \"query-sta");
            assertThat(f.ctl.call("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"dyn\"}}"))
                    .isEqualTo(OK);
            assertThat(f.ctl.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"dyn-chr\"}}"))
                    .isEqualTo(OK);
            assertThat(c.drainToEof()).isEmpty();
            assertThat(f.ctl.call("{\"execute\": \"query-chardev\"}")).doesNotContain("dyn-chr");
        }
    }
}
