package io.qmpd.command;

import static io.qmpd.command.HotplugFixture.OK;
import static io.qmpd.command.HotplugFixture.error;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.chardev.TestChardev;
import io.qmpd.monitor.Monitor;
import io.qmpd.server.ServerInternals;
import io.qmpd.server.TestServer;
import io.qmpd.testing.QmpTestClient;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The seed's monitor-add, monitor-remove and query-monitors, to the letter, over real unix sockets. */
class MonitorCommandsTest {

    private final HotplugFixture f = new HotplugFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void seed_example_monitor_add_then_the_first_client_gets_its_own_greeting_and_negotiates() {
        Path path = f.chardev("qmp-extra");
        f.ctl.send(
                "{ \"execute\": \"monitor-add\",\n\"arguments\": { \"id\": \"extra-qmp\",\n\"chardev\": \"qmp-extra\" } }\n");
        assertThat(f.ctl.reply()).isEqualTo(OK);
        QmpTestClient extra = f.connect(path);
        assertThat(extra.next()).startsWith("{\"QMP\": {\"version\": ");
        assertThat(extra.call("{\"execute\": \"query-name\"}"))
                .isEqualTo(
                        "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Expecting capabilities negotiation with 'qmp_capabilities'\"}}\r\n");
        assertThat(extra.call("{\"execute\": \"qmp_capabilities\"}")).isEqualTo(OK);
        assertThat(extra.call("{\"execute\": \"query-name\"}")).isEqualTo(OK);
    }

    @Test
    void seed_example_monitor_remove_drops_the_client_and_leaves_the_chardev_free() {
        Path path = f.chardev("qmp-extra");
        assertThat(
                        f.ctl.call(
                                "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"extra-qmp\", \"chardev\": \"qmp-extra\"}}"))
                .isEqualTo(OK);
        QmpTestClient extra = f.connect(path).negotiate();
        f.ctl.send("{ \"execute\": \"monitor-remove\",\n\"arguments\": { \"id\": \"extra-qmp\" } }\n");
        assertThat(f.ctl.reply()).isEqualTo(OK);
        assertThat(extra.drainToEof()).isEmpty();
        f.removeChardev("qmp-extra"); // chardev-remove succeeds: no frontend left
        assertThat(f.t.server.callOnDispatcher(
                        () -> ServerInternals.chardevs(f.t.server).find("qmp-extra")))
                .isEmpty();
    }

    @Test
    void a_removed_monitors_close_future_completes_once_it_is_gone_self_removal_included() {
        Path path = f.chardev("qmp-extra");
        assertThat(
                        f.ctl.call(
                                "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"extra\", \"chardev\": \"qmp-extra\"}}"))
                .isEqualTo(OK);
        QmpTestClient extra = f.connect(path).negotiate();
        Monitor monitor = ServerInternals.monitors(f.t.server).stream()
                .filter(m -> "extra".equals(m.id()))
                .findFirst()
                .orElseThrow();
        assertThat(monitor.closeFuture()).isNotDone();
        assertThat(extra.call("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"extra\"}}"))
                .as("a monitor removing itself is answered first")
                .isEqualTo(OK);
        monitor.closeFuture().orTimeout(5, TimeUnit.SECONDS).join();
        assertThat(extra.drainToEof()).isEmpty();
        assertThat(f.ctl.call("{\"execute\": \"query-monitors\"}")).doesNotContain("\"extra\"");
    }

    /** The members come in QEMU's QDict order (the writer's), not the seed text's hand-written order. */
    @Test
    void seed_example_query_monitors_shape() {
        // A server whose only monitor is the seed example's mon0 on compat_monitor0.
        TestServer t = new TestServer();
        try {
            TestChardev chr = new TestChardev("compat_monitor0", ServerInternals.loop(t.server), true);
            t.server.addChardev(chr);
            t.server.addQmpMonitor("mon0", "compat_monitor0", false, false);
            chr.connect();
            chr.next();
            chr.send("{\"execute\": \"qmp_capabilities\"}\n");
            assertThat(chr.next()).isEqualTo(OK);
            chr.send("{ \"execute\": \"query-monitors\" }\n");
            assertThat(chr.next())
                    .isEqualTo(
                            "{\"return\": [{\"chardev\": \"compat_monitor0\", \"mode\": \"control\", \"dynamic\": false, \"id\": \"mon0\"}]}\r\n");
        } finally {
            t.close();
        }
    }

    @Test
    void query_monitors_lists_creation_order_with_id_absent_for_anonymous_command_line_monitors() {
        f.chardev("anon-chr");
        f.t.server.addQmpMonitor(null, "anon-chr", false, false);
        f.dynamicMonitor("dyn");
        assertThat(f.ctl.call("{\"execute\": \"query-monitors\"}"))
                .isEqualTo(
                        "{\"return\": ["
                                + "{\"chardev\": \"ctl-chr\", \"mode\": \"control\", \"dynamic\": false, \"id\": \"ctl\"}, "
                                + "{\"chardev\": \"anon-chr\", \"mode\": \"control\", \"dynamic\": false}, "
                                + "{\"chardev\": \"dyn-chr\", \"mode\": \"control\", \"dynamic\": true, \"id\": \"dyn\"}]}\r\n");
    }

    @Test
    void monitor_add_errors_use_the_seeds_texts() {
        f.dynamicMonitor("dyn");
        f.chardev("free");
        assertThat(f.ctl.call(
                        "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"dyn\", \"chardev\": \"free\"}}"))
                .isEqualTo(error("monitor 'dyn' already exists"));
        assertThat(f.ctl.call(
                        "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"ctl\", \"chardev\": \"free\"}}"))
                .isEqualTo(error("monitor 'ctl' already exists"));
        assertThat(f.ctl.call("{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"m2\", \"chardev\": \"nope\"}}"))
                .isEqualTo(error("chardev 'nope' not found"));
        assertThat(f.ctl.call(
                        "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"m2\", \"chardev\": \"dyn-chr\"}}"))
                .isEqualTo(error("chardev 'dyn-chr' is already in use"));
        for (String bad : new String[] {"1bad", "a b", "", "_x"}) {
            assertThat(f.ctl.call("{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"" + bad
                            + "\", \"chardev\": \"free\"}}"))
                    .isEqualTo(error("Parameter 'id' expects an identifier"));
        }
        assertThat(f.ctl.call(
                        "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"m-2.x_y\", \"chardev\": \"free\"}}"))
                .isEqualTo(OK);
    }

    @Test
    void monitor_remove_errors_use_the_seeds_texts() {
        assertThat(f.ctl.call("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"nope\"}}"))
                .isEqualTo(error("monitor 'nope' not found"));
        assertThat(f.ctl.call("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"ctl\"}}"))
                .isEqualTo(error("monitor 'ctl' was not dynamically added"));
        f.dynamicMonitor("dyn");
        assertThat(f.ctl.call("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"dyn\"}}"))
                .isEqualTo(OK);
        assertThat(f.ctl.call("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"dyn\"}}"))
                .isEqualTo(error("monitor 'dyn' not found"));
    }

    @Test
    void a_pretty_monitor_answers_in_pretty_form() {
        Path path = f.chardev("p-chr");
        assertThat(
                        f.ctl.call(
                                "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"p\", \"chardev\": \"p-chr\", \"pretty\": true}}"))
                .isEqualTo(OK);
        QmpTestClient p = f.connect(path);
        assertThat(p.next()).isEqualTo("{\r\n");
        while (!p.next().equals("}\r\n")) {
            // the rest of the pretty greeting
        }
        p.send("{\"execute\":\"qmp_capabilities\"}\n");
        assertThat(p.next() + p.next() + p.next() + p.next()).isEqualTo("{\r\n    \"return\": {\r\n    }\r\n}\r\n");
    }
}
