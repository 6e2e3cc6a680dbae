package io.qmpd.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.chardev.TestChardev;
import io.qmpd.server.QmpServer;
import io.qmpd.server.TestMonitors;
import io.qmpd.testing.NothingLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The simulated machine attached to a server: its commands, its schema, its QOM type, its OOB command. */
@ExtendWith(NothingLeaks.class)
class MachineBackendTest {

    private final QmpServer server = QmpServer.builder()
            .backend(MachineBackend.simulated(SimulatedMachine.Config.defaults()))
            .build()
            .start();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void the_machine_commands_join_qmpds_own() {
        assertThat(server.commands().names())
                .contains(
                        "stop",
                        "cont",
                        "system_reset",
                        "system_powerdown",
                        "query-status",
                        "query-name",
                        "query-uuid",
                        "query-kvm",
                        "query-cpus-fast",
                        "query-machines",
                        "device_del",
                        "migrate-pause",
                        "monitor-add",
                        "chardev-add",
                        "quit");
        assertThat(server.schema().event("SHUTDOWN")).isPresent();
    }

    @Test
    void stop_and_cont_change_the_run_state_with_qemus_events() {
        TestChardev c = TestMonitors.negotiated(server, "qmp", false, false);
        c.send("{\"execute\": \"stop\"}\n");
        assertThat(c.next()).contains("\"event\": \"STOP\"");
        assertThat(c.next()).isEqualTo("{\"return\": {}}\r\n");
        c.send("{\"execute\": \"query-status\"}\n");
        assertThat(c.next())
                .isEqualTo("{\"return\": {\"status\": \"paused\", \"singlestep\": false, \"running\": false}}\r\n");
    }

    @Test
    void machine_is_the_backends_qom_type() {
        TestChardev c = TestMonitors.negotiated(server, "qmp", false, false);
        c.send("{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/machine\", \"property\": \"type\"}}\n");
        assertThat(c.next()).isEqualTo("{\"return\": \"none-machine\"}\r\n");
    }

    @Test
    void migrate_pause_fails_as_QEMU_without_postcopy_in_band_and_out_of_band() {
        TestChardev c = TestMonitors.negotiated(server, "qmp", false, true);
        String error = "\"error\": {\"class\": \"GenericError\", \"desc\": \"" + MigrationCommands.NOT_POSTCOPY + "\"}";
        c.send("{\"exec-oob\": \"migrate-pause\", \"id\": 1}\n");
        assertThat(c.next()).isEqualTo("{\"id\": 1, " + error + "}\r\n");
        c.send("{\"execute\": \"migrate-pause\"}\n");
        assertThat(c.next()).isEqualTo("{" + error + "}\r\n");
    }
}
