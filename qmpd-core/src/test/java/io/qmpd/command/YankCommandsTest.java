package io.qmpd.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * yank, query-yank and migrate-pause over real unix sockets, in band and out of band (cases
 * 076/078): the instances are the socket chardevs, oldest first; an unknown instance yanks
 * nothing; yanking a chardev drops its client.
 */
class YankCommandsTest {

    @Test
    void query_yank_lists_the_socket_chardevs_oldest_first_in_band_and_out_of_band() {
        try (HotplugFixture f = new HotplugFixture()) {
            UnixClient c = f.cliMonitor("oob").negotiateOob();
            f.chardev("extra");
            String list = "[{\"type\": \"chardev\", \"id\": \"ctl-chr\"}, {\"type\": \"chardev\", \"id\": \"oob-chr\"}, "
                    + "{\"type\": \"chardev\", \"id\": \"extra\"}]";
            assertThat(c.call("{\"exec-oob\": \"query-yank\", \"id\": 1}")).isEqualTo("{\"return\": " + list + ", \"id\": 1}\r\n");
            assertThat(c.call("{\"execute\": \"query-yank\"}")).isEqualTo("{\"return\": " + list + "}\r\n");
            assertThat(f.ctl.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"extra\"}}")).isEqualTo(HotplugFixture.OK);
            assertThat(c.call("{\"exec-oob\": \"query-yank\"}")).doesNotContain("extra");
        }
    }

    @Test
    void yank_of_an_unknown_instance_is_DeviceNotFound_and_yanks_nothing() {
        try (HotplugFixture f = new HotplugFixture()) {
            UnixClient victim = f.cliMonitor("victim").negotiate();
            UnixClient c = f.cliMonitor("oob").negotiateOob();
            assertThat(c.call("{\"exec-oob\": \"yank\", \"arguments\": {\"instances\": [{\"type\": \"chardev\", \"id\": "
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
            UnixClient victim = f.cliMonitor("victim").negotiate();
            UnixClient c = f.cliMonitor("oob").negotiateOob();
            assertThat(c.call("{\"exec-oob\": \"yank\", \"arguments\": {\"instances\": [{\"type\": \"chardev\", \"id\": "
                    + "\"victim-chr\"}]}, \"id\": \"y\"}")).isEqualTo("{\"return\": {}, \"id\": \"y\"}\r\n");
            assertThat(victim.drainToEof()).isEmpty();
            Path again = f.path("victim-chr");
            assertThat(f.connect(again).nextOrEof()).startsWith("{\"QMP\": ");
        }
    }

    @Test
    void migrate_pause_fails_as_QEMU_without_postcopy() {
        try (HotplugFixture f = new HotplugFixture()) {
            UnixClient c = f.cliMonitor("oob").negotiateOob();
            String error = "\"error\": {\"class\": \"GenericError\", \"desc\": \"" + MigrationCommands.NOT_POSTCOPY + "\"}";
            assertThat(c.call("{\"exec-oob\": \"migrate-pause\", \"id\": 1}")).isEqualTo("{\"id\": 1, " + error + "}\r\n");
            assertThat(c.call("{\"execute\": \"migrate-pause\"}")).isEqualTo("{" + error + "}\r\n");
        }
    }
}
