package io.qmpd.command;

import static io.qmpd.command.HotplugFixture.OK;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.chardev.Chardev;
import io.qmpd.server.ServerInternals;
import io.qmpd.testing.QmpTestClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Spec 6.6: each hazard of removing a monitor at run time, made deterministic with blocking test
 * commands ({@code x-block}) and OOB markers ({@code x-oob-echo} runs on the loop in input order,
 * so its reply proves every request before it was queued). Real unix sockets and clients.
 */
class MonitorRemovalHazardTest {

    private final HotplugFixture f = new HotplugFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private static String block(String tag) {
        return "{\"execute\": \"x-block\", \"arguments\": {\"tag\": \"" + tag + "\"}, \"id\": \"" + tag + "\"}\n";
    }

    private static String marker(String tag) {
        return "{\"exec-oob\": \"x-oob-echo\", \"arguments\": {\"tag\": \"" + tag + "\"}, \"id\": \"" + tag + "\"}\n";
    }

    private static String ok(String id) {
        return "{\"return\": {}, \"id\": \"" + id + "\"}\r\n";
    }

    private static String remove(String id) {
        return "{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"" + id + "\"}}\n";
    }

    private List<String> monitorIds() {
        return f.t.server.monitors().stream().map(m -> String.valueOf(m.id())).toList();
    }

    @Test
    void removal_while_another_monitors_command_runs_waits_for_it_and_both_are_answered() throws Exception {
        QmpTestClient a = f.cliMonitor("a").negotiate();
        QmpTestClient tgt = f.connect(f.dynamicMonitor("tgt")).negotiate();
        a.send(block("a1"));
        assertThat(f.t.awaitBlockStarted()).isEqualTo("a1");
        f.ctl.send(remove("tgt"));
        f.t.release();
        assertThat(a.reply()).isEqualTo(ok("a1"));
        assertThat(f.ctl.reply()).isEqualTo(OK);
        assertThat(tgt.drainToEof()).isEmpty();
        assertThat(monitorIds()).containsExactly("ctl", "a");
    }

    @Test
    void a_running_command_of_the_removed_monitor_is_answered_before_its_client_is_dropped() throws Exception {
        QmpTestClient tgt = f.connect(f.dynamicMonitor("tgt")).negotiate();
        tgt.send(block("t1"));
        assertThat(f.t.awaitBlockStarted()).isEqualTo("t1");
        f.ctl.send(remove("tgt")); // queued behind the running x-block
        f.t.release();
        assertThat(tgt.drainToEof()).containsExactly(ok("t1"));
        assertThat(f.ctl.reply()).isEqualTo(OK);
    }

    @Test
    void queued_requests_of_a_removed_monitor_are_dropped_never_answered_never_run() throws Exception {
        QmpTestClient a = f.cliMonitor("a").negotiate();
        QmpTestClient ctl2 = f.cliMonitor("ctl2").negotiateOob();
        QmpTestClient tgt = f.connect(f.dynamicMonitor("tgt")).negotiateOob();
        a.send(block("a1"));
        assertThat(f.t.awaitBlockStarted()).isEqualTo("a1");
        ctl2.send(remove("tgt") + marker("ctl2-queued")); // ctl2 is ready before tgt
        assertThat(ctl2.reply()).isEqualTo(ok("ctl2-queued"));
        tgt.send(block("t1") + block("t2") + block("t3") + marker("tgt-queued"));
        assertThat(tgt.reply()).isEqualTo(ok("tgt-queued"));
        f.t.release();
        assertThat(a.reply()).isEqualTo(ok("a1"));
        assertThat(ctl2.reply()).isEqualTo(OK);
        assertThat(tgt.drainToEof()).isEmpty();
        assertThat(f.ctl.call("{\"execute\": \"query-name\"}")).isEqualTo(OK); // the dispatcher went on
        assertThat(f.t.blockStarted).isEmpty(); // t1..t3 never ran
    }

    @Test
    void removal_during_an_event_storm_sends_no_event_afterwards_and_fails_nothing() throws Exception {
        QmpTestClient storm = f.cliMonitor("storm").negotiate();
        Path tgtPath = f.dynamicMonitor("tgt");
        QmpTestClient tgt = f.connect(tgtPath).negotiate();
        int rounds = 300;
        CompletableFuture<List<String>> stormReplies = CompletableFuture.supplyAsync(() -> {
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                replies.add(storm.call("{\"execute\": \"stop\"}"));
                replies.add(storm.call("{\"execute\": \"cont\"}"));
            }
            return replies;
        });
        for (int i = 0; i < 10; i++) {
            assertThat(tgt.next()).startsWith("{\"timestamp\"");
        }
        assertThat(f.ctl.call(remove("tgt").trim())).isEqualTo(OK);
        // Re-add at once: the new client's first line must be its greeting, never an event.
        assertThat(f.ctl.call(
                        "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"tgt\", \"chardev\": \"tgt-chr\"}}"))
                .isEqualTo(OK);
        for (String line : tgt.drainToEof()) {
            assertThat(line)
                    .matches(
                            "\\{\"timestamp\": \\{\"seconds\": \\d+, \"microseconds\": \\d+}, \"event\": \"(STOP|RESUME)\"}\r\n");
        }
        QmpTestClient fresh = f.connect(tgtPath);
        assertThat(fresh.next()).startsWith("{\"QMP\": ");
        assertThat(stormReplies.get(30, TimeUnit.SECONDS)).hasSize(2 * rounds).containsOnly(OK);
    }

    @Test
    void removal_right_after_add_never_greets_and_drops_an_already_connected_client() throws Exception {
        Path path = f.chardev("quick-chr");
        QmpTestClient early = f.connect(path); // the backend is open before the monitor exists
        Chardev chr = f.t.server.callOnDispatcher(
                () -> ServerInternals.chardevs(f.t.server).find("quick-chr").orElseThrow());
        long deadline = System.nanoTime() + QmpTestClient.TIMEOUT_NANOS;
        while (!chr.isOpen()) {
            assertThat(System.nanoTime()).as("client accepted").isLessThan(deadline);
            Thread.onSpinWait();
        }
        // Hold the loop so that the monitor's set-up on the loop has not run when it is removed
        // (QEMU's setup_pending); the loop then sees the set-up of a monitor that is gone.
        CountDownLatch loopHeld = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        ServerInternals.loop(f.t.server).execute(() -> {
            loopHeld.countDown();
            try {
                proceed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(loopHeld.await(10, TimeUnit.SECONDS)).isTrue();
        f.t.server.callOnDispatcher(() -> {
            MonitorHotplug hp = ServerInternals.hotplug(f.t.server);
            hp.monitorAdd("quick", "quick-chr", false);
            hp.monitorRemove("quick", r -> {
                throw new AssertionError("not self-removal");
            });
            return null;
        });
        proceed.countDown();
        assertThat(early.drainToEof()).isEmpty();
        f.removeChardev("quick-chr");
    }

    @Test
    void add_and_remove_pipelined_over_qmp_leave_at_most_a_greeting_then_eof() {
        Path path = f.chardev("quick-chr");
        QmpTestClient early = f.connect(path);
        f.ctl.send("{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"quick\", \"chardev\": \"quick-chr\"}}\n"
                + remove("quick"));
        assertThat(f.ctl.reply()).isEqualTo(OK);
        assertThat(f.ctl.reply()).isEqualTo(OK);
        List<String> lines = early.drainToEof();
        assertThat(lines.size()).isLessThanOrEqualTo(1);
        lines.forEach(l -> assertThat(l).startsWith("{\"QMP\": "));
        f.removeChardev("quick-chr");
    }

    @Test
    void self_removal_answers_then_closes_the_connection() {
        QmpTestClient tgt = f.connect(f.dynamicMonitor("tgt")).negotiate();
        tgt.send("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"tgt\"}, \"id\": 1}\n"
                + "{\"execute\": \"query-name\", \"id\": 2}\n");
        assertThat(tgt.drainToEof()).containsExactly("{\"return\": {}, \"id\": 1}\r\n");
        assertThat(monitorIds()).containsExactly("ctl");
        f.removeChardev("tgt-chr"); // free at once
    }

    @Test
    void self_removal_with_oob_and_queued_requests_answers_only_the_removal() {
        QmpTestClient tgt = f.connect(f.dynamicMonitor("tgt")).negotiateOob();
        tgt.send("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"tgt\"}, \"id\": 1}\n" + block("t1")
                + block("t2"));
        assertThat(tgt.drainToEof()).containsExactly("{\"return\": {}, \"id\": 1}\r\n");
        assertThat(f.t.blockStarted).isEmpty();
    }

    @Test
    void disconnect_with_a_full_queue_drops_it_and_the_next_client_starts_clean() throws Exception {
        QmpTestClient a = f.cliMonitor("a").negotiate();
        Path path = f.dynamicMonitor("tgt");
        QmpTestClient old = f.connect(path).negotiateOob();
        a.send(block("a1"));
        assertThat(f.t.awaitBlockStarted()).isEqualTo("a1");
        StringBuilder seven = new StringBuilder();
        for (int i = 1; i <= 7; i++) {
            seven.append(block("q" + i));
        }
        old.send(seven + marker("seven-queued"));
        assertThat(old.reply()).isEqualTo(ok("seven-queued"));
        // The eighth fills the queue. (More input would be held unread, and the chardev would not
        // notice the hangup until it reads again: reported to the chardev side.)
        old.send(block("q8").trim()); // no newline: nothing is left unread after it
        old.close();
        QmpTestClient next = f.connect(path);
        assertThat(next.next()).startsWith("{\"QMP\": "); // the old client's close was handled first
        f.t.release();
        assertThat(a.reply()).isEqualTo(ok("a1"));
        next.send(
                "{\"execute\": \"qmp_capabilities\", \"id\": \"caps\"}\n{\"execute\": \"query-name\", \"id\": \"n\"}\n");
        assertThat(next.next()).isEqualTo(ok("caps"));
        assertThat(next.next()).isEqualTo(ok("n"));
        assertThat(f.t.blockStarted).isEmpty();
    }

    @Test
    void remove_then_readd_on_the_same_chardev_greets_the_waiting_client_afresh() {
        Path path = f.dynamicMonitor("tgt");
        QmpTestClient first = f.connect(path).negotiate();
        QmpTestClient second = f.connect(path); // waits in the backlog: no greeting yet
        f.ctl.send(remove("tgt")
                + "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"tgt\", \"chardev\": \"tgt-chr\"}}\n");
        assertThat(f.ctl.reply()).isEqualTo(OK);
        assertThat(f.ctl.reply()).isEqualTo(OK);
        assertThat(first.drainToEof()).isEmpty();
        second.negotiate();
        assertThat(second.call("{\"execute\": \"stop\"}")).isEqualTo(OK);
        assertThat(second.events).hasSize(1);
        assertThat(f.ctl.call("{\"execute\": \"query-monitors\"}"))
                .contains("\"id\": \"tgt\"")
                .contains("\"dynamic\": true");
    }
}
