package io.qmpd.command;

import static io.qmpd.command.HotplugFixture.OK;
import static io.qmpd.command.HotplugFixture.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmpd.chardev.ChardevRegistry;
import io.qmpd.qapi.QmpException;
import io.qmpd.server.QmpServer;
import io.qmpd.server.TestServer;
import io.qmpd.testing.NothingLeaks;
import io.qmpd.testing.QmpTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * qmpd's caps on the number of chardevs and monitors (QEMU has none), hit over QMP on real unix
 * sockets with small limits: the refusal text, nothing created past the cap, room again after a
 * removal.
 */
@ExtendWith(NothingLeaks.class)
class LimitsTest {

    private static String socketChardev(String id, Path path) {
        return "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"" + id
                + "\", \"backend\": {\"type\": \"socket\", "
                + "\"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"" + path
                + "\"}}, \"server\": true, "
                + "\"wait\": false}}}}";
    }

    private static String nullChardev(String id) {
        return "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"" + id
                + "\", \"backend\": {\"type\": \"null\", \"data\": {}}}}";
    }

    @Test
    void chardevAddPastTheCapIsRefusedAndCreatesNoSocket() {
        // ctl-chr is the first of four.
        try (HotplugFixture f = new HotplugFixture(new TestServer(false, b -> b.maxChardevs(4)))) {
            for (int i = 1; i <= 3; i++) {
                assertThat(f.ctl.call(socketChardev("c" + i, f.path("c" + i)))).isEqualTo(OK);
            }
            Path fifth = f.path("c4");
            assertThat(f.ctl.call(socketChardev("c4", fifth)))
                    .isEqualTo(error("Failed to add chardev 'c4': too many chardevs (limit 4)"));
            assertThat(Files.exists(fifth)).as("no socket file past the cap").isFalse();
            assertThat(f.ctl.call(nullChardev("n")))
                    .isEqualTo(error("Failed to add chardev 'n': too many chardevs (limit 4)"));
            // A taken id is still reported as such, before the cap.
            assertThat(f.ctl.call(nullChardev("c1"))).isEqualTo(error("Chardev with id 'c1' already exists"));
            assertThat(f.ctl.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"c3\"}}"))
                    .isEqualTo(OK);
            assertThat(f.ctl.call(socketChardev("c4", fifth))).isEqualTo(OK);
            QmpTestClient peer = f.connect(fifth);
            assertThat(f.ctl.call(
                            "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"m4\", \"chardev\": \"c4\"}}"))
                    .isEqualTo(OK);
            assertThat(peer.negotiate().call("{\"execute\": \"query-name\"}")).isEqualTo(OK);
        }
    }

    @Test
    void monitorAddAndObjectAddPastTheCapAreRefusedAndLeaveTheChardevFree() {
        // ctl is the first of three monitors.
        try (HotplugFixture f = new HotplugFixture(new TestServer(false, b -> b.maxMonitors(3)))) {
            f.dynamicMonitor("m1");
            f.dynamicMonitor("m2");
            Path third = f.chardev("m3-chr");
            assertThat(f.ctl.call(
                            "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"m3\", \"chardev\": \"m3-chr\"}}"))
                    .isEqualTo(error("monitor limit reached (3)"));
            assertThat(f.ctl.call("{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"monitor-qmp\", "
                            + "\"id\": \"o3\", \"chardev\": \"m3-chr\"}}"))
                    .isEqualTo(error("monitor limit reached (3)"));
            assertThat(f.ctl.call("{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"monitor-hmp\", "
                            + "\"id\": \"h3\", \"chardev\": \"m3-chr\"}}"))
                    .isEqualTo(error("monitor limit reached (3)"));
            assertThat(f.ctl.call("{\"execute\": \"query-monitors\"}")).doesNotContain("m3", "o3", "h3");
            assertThat(f.ctl.call("{\"execute\": \"query-chardev\"}"))
                    .contains("{\"frontend-open\": false, \"filename\": \"disconnected:unix:" + third
                            + ",server=on\", \"label\": \"m3-chr\"}");
            assertThat(f.ctl.call("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"m2\"}}"))
                    .isEqualTo(OK);
            assertThat(f.ctl.call("{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"monitor-qmp\", "
                            + "\"id\": \"o3\", \"chardev\": \"m3-chr\"}}"))
                    .isEqualTo(OK);
            assertThat(f.connect(third).negotiate().call("{\"execute\": \"query-name\"}"))
                    .isEqualTo(OK);
        }
    }

    @Test
    void commandLineMonitorsCountTowardsTheCap() {
        try (HotplugFixture f = new HotplugFixture(new TestServer(false, b -> b.maxMonitors(1)))) {
            f.chardev("second");
            assertThatThrownBy(() -> f.t.server.addQmpMonitor("second", "second", false, false))
                    .isInstanceOf(QmpException.class)
                    .hasMessage("monitor limit reached (1)");
        }
    }

    @Test
    void theDefaultsLeaveRoomForTenThousandMonitorsAndAreValidated() {
        assertThat(ChardevRegistry.DEFAULT_LIMIT).isEqualTo(16_384);
        assertThat(MonitorHotplug.DEFAULT_LIMIT).isEqualTo(16_384);
        assertThatThrownBy(() -> QmpServer.builder().maxChardevs(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxChardevs must be at least 1: 0");
        assertThatThrownBy(() -> QmpServer.builder().maxMonitors(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxMonitors must be at least 1: -1");
    }

    @Test
    void namesAndValuesPastTheirMemoryAreRefusedAndRemovalsMakeRoom() {
        long limit = 64 * 1024;
        String exhausted = "memory for names and values is exhausted (limit " + limit + " bytes)";
        try (HotplugFixture f = new HotplugFixture(new TestServer(false, b -> b.namesMemoryLimit(limit)))) {
            String big = "c" + "x".repeat(20_000); // 40 KB as a Java string
            assertThat(f.ctl.call(nullChardev(big))).isEqualTo(OK);
            String second = "d" + "x".repeat(20_000);
            assertThat(f.ctl.call(nullChardev(second)))
                    .isEqualTo(HotplugFixture.error("Failed to add chardev '" + second + "': " + exhausted));
            String socketId = "s" + "x".repeat(20_000);
            assertThat(f.ctl.call(socketChardev(socketId, f.path("late"))))
                    .isEqualTo(HotplugFixture.error("Failed to add chardev '" + socketId + "': " + exhausted));
            assertThat(f.path("late")).as("the socket made for it is gone").doesNotExist();
            assertThat(f.ctl.call("{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"secret\", "
                            + "\"id\": \"s\", \"data\": \"" + "y".repeat(30_000) + "\"}}"))
                    .isEqualTo(HotplugFixture.error(exhausted));
            f.chardev("free");
            assertThat(f.ctl.call("{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"m" + "z".repeat(15_000)
                            + "\", \"chardev\": \"free\"}}"))
                    .isEqualTo(HotplugFixture.error(exhausted));
            assertThat(f.ctl.call("{\"execute\": \"query-chardev\"}"))
                    .as("the chardev stays free")
                    .contains("{\"frontend-open\": false, \"filename\": \"disconnected:unix:" + f.path("free")
                            + ",server=on\", \"label\": \"free\"}");
            assertThat(f.ctl.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"" + big + "\"}}"))
                    .isEqualTo(OK);
            assertThat(f.ctl.call(nullChardev(second))).as("room again").isEqualTo(OK);
        }
    }
}
