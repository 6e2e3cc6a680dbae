package io.qmpd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmpd.chardev.TestChardev;
import io.qmpd.command.NoArgs;
import io.qmpd.qapi.QmpException;
import io.qmpd.qapi.Schema;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QmpServerTest {

    private static List<Thread> qmpdThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().startsWith("qmpd-") && th.isAlive())
                .toList();
    }

    private static void assertNoQmpdThreadsLeft() throws InterruptedException {
        for (Thread th : qmpdThreads()) {
            th.join(5_000);
        }
        assertThat(qmpdThreads()).isEmpty();
    }

    @Test
    void close_leaves_no_qmpd_threads_and_is_idempotent() throws Exception {
        TestServer t = new TestServer();
        TestChardev c = t.negotiated("c", true);
        c.send("{\"execute\": \"x-block\", \"arguments\": {\"tag\": \"x\"}}\n");
        t.awaitBlockStarted();
        t.server.close(); // interrupts the blocked handler
        t.server.close();
        assertThat(t.server.closeFuture()).isDone();
        assertThat(t.server.quitFuture()).isNotDone();
        assertNoQmpdThreadsLeft();
    }

    @Test
    void quit_answers_then_shuts_the_server_down() throws Exception {
        TestServer t = new TestServer();
        TestChardev c = t.negotiated("c", false);
        c.send("{\"execute\": \"quit\", \"id\": 9}\n");
        // QEMU 7.2 (conformance case 132): SHUTDOWN comes before the reply
        assertThat(c.next())
                .endsWith("\"event\": \"SHUTDOWN\", \"data\": {\"guest\": false, \"reason\": \"host-qmp-quit\"}}\r\n");
        assertThat(c.next()).isEqualTo("{\"return\": {}, \"id\": 9}\r\n");
        t.server.quitFuture().get(5, TimeUnit.SECONDS);
        assertThat(t.server.closeFuture()).isDone();
        assertNoQmpdThreadsLeft();
    }

    @Test
    void monitor_errors_use_qemus_texts() {
        try (TestServer t = new TestServer()) {
            t.monitor("c", true, false);
            assertThatThrownBy(() -> t.server.addQmpMonitor(null, "nope", false, false))
                    .isInstanceOf(QmpException.class)
                    .hasMessage("chardev \"nope\" not found");
            assertThatThrownBy(() -> t.server.addQmpMonitor("m2", "c", false, false))
                    .isInstanceOf(QmpException.class)
                    .hasMessage("chardev 'c' is already in use");
        }
    }

    @Test
    void build_fails_for_a_handler_the_schema_lacks_and_for_an_unserved_command() {
        Schema schema = Schema.builtinWith(List.of("test-schema.json"));
        assertThatThrownBy(() -> QmpServer.builder()
                        .schema(schema)
                        .commands(b -> b.register("x-nope", NoArgs.class, (ctx, a) -> null))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("handler for 'x-nope', which the schema does not declare")
                .hasMessageContaining("no handler for schema command 'x-block'");
    }

    @Test
    void a_server_without_a_back_end_serves_qmpds_own_commands_alone() {
        QmpServer server = QmpServer.builder().build();
        assertThat(server.commands().names())
                .contains(
                        "qmp_capabilities",
                        "query-version",
                        "query-commands",
                        "query-qmp-schema",
                        "quit",
                        "monitor-add",
                        "query-monitors",
                        "chardev-add",
                        "object-add",
                        "getfd")
                .doesNotContain("stop", "cont", "query-status", "query-name");
        server.close();
        assertThat(server.closeFuture()).isDone();
    }
}
