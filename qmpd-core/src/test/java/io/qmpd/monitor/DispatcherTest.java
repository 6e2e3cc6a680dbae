package io.qmpd.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmpd.chardev.TestChardev;
import io.qmpd.server.ServerInternals;
import io.qmpd.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispatcherTest {

    private final TestServer t = new TestServer();

    @AfterEach
    void close() {
        t.close();
    }

    private static String echo(String tag) {
        return "{\"execute\": \"x-oob-echo\", \"arguments\": {\"tag\": \"" + tag + "\"}}\n";
    }

    @Test
    void serves_monitors_round_robin() throws Exception {
        TestChardev a = t.negotiated("a", true);
        TestChardev b = t.negotiated("b", true);
        a.send("{\"execute\": \"x-block\", \"arguments\": {\"tag\": \"hold\"}}\n");
        t.awaitBlockStarted();
        a.send(echo("a1") + echo("a2") + echo("a3"));
        b.send(echo("b1") + echo("b2") + echo("b3"));
        t.release();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            order.add(t.echoed.poll(5, TimeUnit.SECONDS));
        }
        assertThat(order).containsExactly("a1", "b1", "a2", "b2", "a3", "b3");
    }

    @Test
    void knows_which_monitor_it_is_serving() throws Exception {
        TestChardev a = t.negotiated("a", false);
        a.send("{\"execute\": \"x-block\", \"arguments\": {\"tag\": \"x\"}}\n");
        t.awaitBlockStarted();
        Monitor current = ServerInternals.dispatcher(t.server).current();
        assertThat(current).isNotNull();
        assertThat(current.chardev()).isSameAs(a);
        t.release();
        assertThat(a.next()).isEqualTo("{\"return\": {}}\r\n");
        assertThat(t.server.callOnDispatcher(
                        () -> ServerInternals.dispatcher(t.server).current()))
                .isNull();
    }

    @Test
    void never_serves_a_forgotten_monitor() throws Exception {
        TestChardev a = t.negotiated("a", true);
        Monitor monA = ServerInternals.monitors(t.server).get(0);
        a.send("{\"execute\": \"x-block\", \"arguments\": {\"tag\": \"hold\"}}\n");
        t.awaitBlockStarted();
        a.send(echo("lost"));
        CompletableFuture<Void> forgotten = ServerInternals.dispatcher(t.server).submit(() -> {
            ServerInternals.dispatcher(t.server).forget(monA);
            return null;
        });
        t.release();
        forgotten.get(5, TimeUnit.SECONDS);
        a.send(echo("lost too"));
        // A task queued after the forget runs; the forgotten monitor's requests never do.
        t.server.callOnDispatcher(() -> null);
        assertThat(t.echoed).isEmpty();
    }

    @Test
    void close_cancels_pending_tasks_and_refuses_new_ones() throws Exception {
        Dispatcher d = new Dispatcher("qmpd-test-dispatcher");
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CompletableFuture<Void> first = d.submit(() -> {
            gate.get(5, TimeUnit.SECONDS);
            return null;
        });
        CompletableFuture<String> second = d.submit(() -> "never");
        gate.complete(null);
        first.get(5, TimeUnit.SECONDS);
        d.close();
        assertThat(d.terminationFuture()).isDone();
        assertThat(second.isDone()).isTrue();
        if (second.isCancelled()) {
            assertThatThrownBy(second::join).isInstanceOf(CancellationException.class);
        } else {
            assertThat(second.join()).isEqualTo("never");
        }
        assertThatThrownBy(() -> d.execute(() -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("state: closed");
    }
}
