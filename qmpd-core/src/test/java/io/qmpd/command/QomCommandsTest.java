package io.qmpd.command;

import static io.qmpd.command.HotplugFixture.OK;
import static io.qmpd.command.HotplugFixture.error;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.server.ServerInternals;
import io.qmpd.testing.QmpTestClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** QEMU 11.1's object form over the same monitors: object-add/object-del, qom-list, qom-get, close-action. */
class QomCommandsTest {

    private final HotplugFixture f = new HotplugFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private String objectAdd(String id, String chardev, String extra) {
        return f.ctl.call("{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"monitor-qmp\", \"id\": \"" + id
                + "\", \"chardev\": \"" + chardev + "\"" + extra + "}}");
    }

    @Test
    void object_add_and_del_cycle_twice_then_the_chardev_can_go() {
        Path path = f.chardev("monitor-chardev");
        for (int i = 0; i < 2; i++) {
            assertThat(objectAdd("dyn-mon", "monitor-chardev", "")).isEqualTo(OK);
            f.connect(path).negotiate();
            assertThat(f.ctl.call("{\"execute\": \"object-del\", \"arguments\": {\"id\": \"dyn-mon\"}}"))
                    .isEqualTo(OK);
        }
        f.removeChardev("monitor-chardev");
    }

    @Test
    void object_add_errors_use_qemus_texts_and_ids_share_one_namespace_with_monitor_add() {
        f.chardev("free");
        assertThat(objectAdd("m1", "nonexistent", "")).isEqualTo(error("chardev \\\"nonexistent\\\" not found"));
        assertThat(objectAdd("m1", "ctl-chr", "")).isEqualTo(error("chardev 'ctl-chr' is already in use"));
        assertThat(objectAdd("1bad", "free", "")).isEqualTo(error("Parameter 'id' expects an identifier"));
        assertThat(objectAdd("ctl", "free", ""))
                .isEqualTo(error("attempt to add duplicate property 'ctl' to object (type 'container')"));
        assertThat(
                        f.ctl.call(
                                "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"secret\", \"id\": \"s0\", \"data\": \"x\"}}"))
                .isEqualTo(OK);
        assertThat(f.ctl.call("{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"s0\", \"chardev\": \"free\"}}"))
                .isEqualTo(error("attempt to add duplicate property 's0' to object (type 'container')"));
        assertThat(f.ctl.call("{\"execute\": \"object-del\", \"arguments\": {\"id\": \"nope\"}}"))
                .isEqualTo(error("object 'nope' not found"));
    }

    @Test
    void object_del_refuses_the_current_monitor_but_removes_command_line_ones() {
        assertThat(f.ctl.call("{\"execute\": \"object-del\", \"arguments\": {\"id\": \"ctl\"}}"))
                .isEqualTo(error("Cannot delete the current QMP monitor"));
        QmpTestClient other = f.cliMonitor("other").negotiate();
        assertThat(f.ctl.call("{\"execute\": \"object-del\", \"arguments\": {\"id\": \"other\"}}"))
                .isEqualTo(OK);
        assertThat(other.drainToEof()).isEmpty();
    }

    @Test
    void object_del_refuses_hmp_monitors() {
        f.chardev("h-chr");
        assertThat(
                        f.ctl.call(
                                "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"monitor-hmp\", \"id\": \"h\", \"chardev\": \"h-chr\"}}"))
                .isEqualTo(OK);
        assertThat(f.ctl.call("{\"execute\": \"object-del\", \"arguments\": {\"id\": \"h\"}}"))
                .isEqualTo(error("Deleting HMP monitors is not supported"));
    }

    @Test
    void monitor_hmp_without_readline_is_refused_and_leaves_the_chardev_free() {
        f.chardev("h-chr");
        assertThat(f.ctl.call(
                        "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"monitor-hmp\", \"id\": \"h\", "
                                + "\"chardev\": \"h-chr\", \"readline\": false}}"))
                .isEqualTo(error("monitor-hmp: readline=off is not supported by qmpd"));
        assertThat(f.ctl.call(
                        "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"monitor-hmp\", \"id\": \"h\", "
                                + "\"chardev\": \"h-chr\"}}"))
                .isEqualTo(OK);
    }

    @Test
    void qom_list_and_qom_get_show_the_monitors_as_objects() {
        f.dynamicMonitor("dyn");
        assertThat(f.ctl.call("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/objects\"}}"))
                .startsWith("{\"return\": [{\"name\": \"type\", \"type\": \"string\"}, ")
                .contains("{\"name\": \"dyn\", \"type\": \"child<monitor-qmp>\"}")
                .contains("{\"name\": \"ctl\", \"type\": \"child<monitor-qmp>\"}");
        assertThat(
                        f.ctl.call(
                                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/objects/dyn\", \"property\": \"type\"}}"))
                .isEqualTo("{\"return\": \"monitor-qmp\"}\r\n");
        assertThat(
                        f.ctl.call(
                                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/chardevs/dyn-chr\", \"property\": \"type\"}}"))
                .isEqualTo("{\"return\": \"chardev-socket\"}\r\n");
        assertThat(f.ctl.call("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/nope\"}}"))
                .isEqualTo("{\"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Device '/nope' not found\"}}\r\n");
    }

    @Test
    void close_action_delete_removes_monitor_and_chardev_when_the_client_leaves() {
        Path path = f.chardev("auto-chr");
        assertThat(objectAdd("auto", "auto-chr", ", \"close-action\": \"delete\""))
                .isEqualTo(OK);
        f.connect(path).negotiate().close();
        long deadline = System.nanoTime() + QmpTestClient.TIMEOUT_NANOS;
        while (f.t.server.callOnDispatcher(
                () -> ServerInternals.chardevs(f.t.server).find("auto-chr").isPresent())) {
            assertThat(System.nanoTime()).as("chardev deleted").isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(f.ctl.call("{\"execute\": \"query-monitors\"}")).doesNotContain("auto");
    }
}
