package io.qmpd.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.QmpTestClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * yank and query-yank over real unix sockets, in band and out of band (cases
 * 076/078): the instances are the socket chardevs, oldest first; an unknown instance yanks
 * nothing; yanking a chardev drops its client.
 */
class YankCommandsTest {

    @Test
    void query_yank_lists_the_socket_chardevs_oldest_first_in_band_and_out_of_band() {
        try (HotplugFixture f = new HotplugFixture()) {
            QmpTestClient c = f.cliMonitor("oob").negotiateOob();
            f.chardev("extra");
            String list =
                    "[{\"type\": \"chardev\", \"id\": \"ctl-chr\"}, {\"type\": \"chardev\", \"id\": \"oob-chr\"}, "
                            + "{\"type\": \"chardev\", \"id\": \"extra\"}]";
            assertThat(c.call("{\"exec-oob\": \"query-yank\", \"id\": 1}"))
                    .isEqualTo("{\"return\": " + list + ", \"id\": 1}\r\n");
            assertThat(c.call("{\"execute\": \"query-yank\"}")).isEqualTo("{\"return\": " + list + "}\r\n");
            assertThat(f.ctl.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"extra\"}}"))
                    .isEqualTo(HotplugFixture.OK);
            assertThat(c.call("{\"exec-oob\": \"query-yank\"}")).doesNotContain("extra");
        }
    }

    @Test
    void yank_of_an_unknown_instance_is_DeviceNotFound_and_yanks_nothing() {
        try (HotplugFixture f = new HotplugFixture()) {
            QmpTestClient victim = f.cliMonitor("victim").negotiate();
            QmpTestClient c = f.cliMonitor("oob").negotiateOob();
            assertThat(c.call(
                            "{\"exec-oob\": \"yank\", \"arguments\": {\"instances\": [{\"type\": \"chardev\", \"id\": "
                                    + "\"victim-chr\"}, {\"type\": \"chardev\", \"id\": \"nope\"}]}}"))
                    .isEqualTo("{\"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Instance not found\"}}\r\n");
            assertThat(c.call("{\"exec-oob\": \"yank\", \"arguments\": {\"instances\": [{\"type\": \"migration\"}]}}"))
                    .isEqualTo("{\"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Instance not found\"}}\r\n");
            assertThat(victim.call("{\"execute\": \"query-name\"}")).isEqualTo(HotplugFixture.OK);
        }
    }

    @Test
    void yank_of_a_chardev_drops_its_client() {
        try (HotplugFixture f = new HotplugFixture()) {
            QmpTestClient victim = f.cliMonitor("victim").negotiate();
            QmpTestClient c = f.cliMonitor("oob").negotiateOob();
            assertThat(c.call(
                            "{\"exec-oob\": \"yank\", \"arguments\": {\"instances\": [{\"type\": \"chardev\", \"id\": "
                                    + "\"victim-chr\"}]}, \"id\": \"y\"}"))
                    .isEqualTo("{\"return\": {}, \"id\": \"y\"}\r\n");
            assertThat(victim.drainToEof()).isEmpty();
            Path again = f.path("victim-chr");
            assertThat(f.connect(again).nextOrEof()).startsWith("{\"QMP\": ");
        }
    }

    @Test
    void a_chardev_deleted_with_its_monitor_on_close_leaves_query_yank_at_once() {
        try (HotplugFixture f = new HotplugFixture()) {
            QmpTestClient c = f.cliMonitor("oob").negotiateOob();
            Path gone = f.chardev("gone");
            assertThat(f.ctl.call("{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"monitor-qmp\", "
                            + "\"id\": \"m-gone\", \"chardev\": \"gone\", \"close-action\": \"delete\"}}"))
                    .isEqualTo(HotplugFixture.OK);
            assertThat(c.call("{\"exec-oob\": \"query-yank\"}")).contains("\"id\": \"gone\"");
            QmpTestClient leaving = QmpTestClient.connect(gone);
            assertThat(leaving.nextOrEof()).startsWith("{\"QMP\": ");
            leaving.close();
            // The deletion runs on the dispatcher once the loop has seen the hang-up; an in-band
            // query-chardev queued behind it shows when it is done (bounded).
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (f.ctl.call("{\"execute\": \"query-chardev\"}").contains("\"gone\"")) {
                assertThat(System.nanoTime() - deadline)
                        .as("chardev 'gone' deleted within 5 s")
                        .isNegative();
            }
            assertThat(c.call("{\"exec-oob\": \"query-yank\"}"))
                    .as("a chardev removed by close-action=delete is no yank instance any more")
                    .doesNotContain("\"gone\"");
        }
    }
}
