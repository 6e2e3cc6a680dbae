package io.qmpd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.chardev.TestChardev;
import io.qmpd.command.CommandContext;
import io.qmpd.command.CommandFallback;
import io.qmpd.command.CommandRegistry;
import io.qmpd.qapi.ErrorClass;
import io.qmpd.qapi.QmpError;
import io.qmpd.qapi.QmpException;
import io.qmpd.testing.NothingLeaks;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a back end other than the simulated machine plugs in through {@link QmpServerBuilder}: a
 * fallback for commands the schema does not declare (answered later, on another thread, as a
 * broker's upstream would), relayed events, the greeting's capabilities, the introspection answer,
 * the QOM type of {@code /machine}, and the close of what it attached.
 */
@ExtendWith(NothingLeaks.class)
class BackendSeamTest {

    private static final Executor LATER = CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS);

    /** Answers every undeclared command 50 ms later with its name and arguments; {@code x-fail} fails as QEMU would. */
    private static final class Forwarder implements Backend, CommandFallback {
        final AtomicReference<BackendHost> host = new AtomicReference<>();
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public Attached attach(CommandRegistry.Builder commands, BackendHost h) {
            host.set(h);
            commands.fallback(this);
            // QEMU ends the run; the broker only forwards the command (the server stays up here)
            commands.divert("quit");
            // the object types qmpd makes itself stay qmpd's, the others are forwarded
            commands.divert(
                    "object-add",
                    arguments -> !arguments.path("qom-type").asText().equals("secret"));
            return new Attached() {
                @Override
                public String machineQomType() {
                    return "pc-q35-7.2-machine";
                }

                @Override
                public void close() {
                    closed.countDown();
                }
            };
        }

        @Override
        public Object handle(CommandContext context, String name, ObjectNode arguments) {
            return CompletableFuture.supplyAsync(
                    () -> {
                        if (name.equals("x-fail")) {
                            throw new QmpException(new QmpError(ErrorClass.DeviceNotFound, "Device 'x' not found"));
                        }
                        ObjectNode echo = JsonNodeFactory.instance.objectNode().put("name", name);
                        echo.set("arguments", arguments);
                        return echo;
                    },
                    LATER);
        }

        @Override
        public List<String> names() {
            return List.of("query-pci", "x-fail", "x-oob");
        }

        @Override
        public boolean allowsOob(String name) {
            return name.equals("x-oob");
        }
    }

    private final Forwarder forwarder = new Forwarder();

    private QmpServer start(Consumer<QmpServerBuilder> tweak) {
        QmpServerBuilder builder = QmpServer.builder().backend(forwarder);
        tweak.accept(builder);
        return builder.build().start();
    }

    @Test
    void undeclared_commands_reach_the_fallback_unchecked_and_answer_later_while_others_are_served() {
        try (QmpServer server = start(b -> {})) {
            TestChardev a = TestMonitors.negotiated(server, "a", false, false);
            TestChardev b = TestMonitors.negotiated(server, "b", false, false);
            a.send("{\"execute\": \"query-pci\", \"arguments\": {\"odd\": [1, {\"x\": null}]}, \"id\": 7}\n");
            for (int i = 0; i < 20; i++) { // the dispatcher is free while a's command waits upstream
                b.send("{\"execute\": \"query-version\", \"id\": " + i + "}\n");
                assertThat(b.next()).endsWith("\"id\": " + i + "}\r\n");
            }
            assertThat(a.next())
                    .isEqualTo("{\"return\": {\"name\": \"query-pci\", "
                            + "\"arguments\": {\"odd\": [1, {\"x\": null}]}}, \"id\": 7}\r\n");
            a.send("{\"execute\": \"x-fail\", \"id\": \"f\"}\n");
            assertThat(a.next())
                    .isEqualTo(
                            "{\"id\": \"f\", \"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Device 'x' not found\"}}\r\n");
        }
    }

    @Test
    void a_client_still_negotiating_never_reaches_the_fallback() {
        try (QmpServer server = start(b -> {})) {
            TestChardev c = TestMonitors.connected(server, "c", false);
            c.next();
            c.send("{\"execute\": \"query-pci\"}\n");
            assertThat(c.next())
                    .isEqualTo("{\"error\": {\"class\": \"CommandNotFound\", "
                            + "\"desc\": \"Expecting capabilities negotiation with 'qmp_capabilities'\"}}\r\n");
        }
    }

    @Test
    void exec_oob_runs_only_what_the_fallback_allows_out_of_band() {
        try (QmpServer server = start(b -> {})) {
            TestChardev c = TestMonitors.negotiated(server, "c", false, true);
            c.send("{\"exec-oob\": \"query-pci\", \"id\": 1}\n");
            assertThat(c.next())
                    .isEqualTo("{\"id\": 1, \"error\": {\"class\": \"GenericError\", "
                            + "\"desc\": \"The command query-pci does not support OOB\"}}\r\n");
            c.send("{\"exec-oob\": \"x-oob\", \"id\": 2}\n");
            assertThat(c.next()).isEqualTo("{\"return\": {\"name\": \"x-oob\", \"arguments\": {}}, \"id\": 2}\r\n");
        }
    }

    @Test
    void a_relayed_event_reaches_negotiated_monitors_as_formed() {
        try (QmpServer server = start(b -> {})) {
            TestChardev ready = TestMonitors.negotiated(server, "ready", false, false);
            TestChardev waiting = TestMonitors.connected(server, "waiting", false);
            waiting.next();
            ObjectNode event = JsonNodeFactory.instance.objectNode().put("event", "BLOCK_JOB_READY");
            event.putObject("data").put("device", "d0").put("len", 1L << 40);
            event.putObject("timestamp").put("seconds", 1).put("microseconds", 2);
            server.callOnDispatcher(() -> {
                forwarder.host.get().events().relay(event);
                return null;
            });
            assertThat(ready.next())
                    .as("QEMU's timestamp and data, written in QEMU's member order")
                    .isEqualTo("{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"BLOCK_JOB_READY\", "
                            + "\"data\": {\"device\": \"d0\", \"len\": 1099511627776}}\r\n");
            waiting.send("{\"execute\": \"qmp_capabilities\"}\n");
            assertThat(waiting.next()).as("no event before negotiation").isEqualTo("{\"return\": {}}\r\n");
        }
    }

    @Test
    void greeting_capabilities_introspection_and_machine_type_come_from_the_builder_and_back_end() {
        JsonNode merged = JsonNodeFactory.instance
                .arrayNode()
                .add(JsonNodeFactory.instance
                        .objectNode()
                        .put("name", "query-pci")
                        .put("meta-type", "command"));
        try (QmpServer server = start(b -> b.offerOob(false).introspection(own -> merged))) {
            TestChardev c = TestMonitors.connected(server, "c", false);
            assertThat(c.next()).contains("\"capabilities\": []");
            c.send("{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}\n");
            assertThat(c.next()).contains("Capability oob not available");
            c.send("{\"execute\": \"qmp_capabilities\"}\n{\"execute\": \"query-qmp-schema\"}\n");
            assertThat(c.next()).isEqualTo("{\"return\": {}}\r\n");
            assertThat(c.next()).isEqualTo("{\"return\": [{\"name\": \"query-pci\", \"meta-type\": \"command\"}]}\r\n");
            c.send("{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/machine\", \"property\": \"type\"}}\n");
            assertThat(c.next()).isEqualTo("{\"return\": \"pc-q35-7.2-machine\"}\r\n");
        }
        assertThat(forwarder.closed.getCount())
                .as("the back end's attachment closed with the server")
                .isZero();
    }

    @Test
    void the_back_end_may_serve_one_of_qmpds_commands_and_its_fallbacks_names_are_listed() {
        try (QmpServer server = start(b -> {})) {
            TestChardev c = TestMonitors.negotiated(server, "c", false, true);
            c.send("{\"execute\": \"quit\", \"id\": \"q\"}\n");
            assertThat(c.next())
                    .as("answered by the back end, later")
                    .isEqualTo("{\"return\": {\"name\": \"quit\", \"arguments\": {}}, \"id\": \"q\"}\r\n");
            assertThat(server.closeFuture()).as("qmpd's own quit did not run").isNotDone();
            c.send("{\"exec-oob\": \"quit\", \"id\": \"o\"}\n");
            assertThat(c.next())
                    .as("a command diverted whatever its arguments goes to the fallback out of band too")
                    .isEqualTo("{\"id\": \"o\", \"error\": {\"class\": \"GenericError\", "
                            + "\"desc\": \"The command quit does not support OOB\"}}\r\n");
            c.send("{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"iothread\", \"id\": \"t\"}}\n");
            assertThat(c.next())
                    .as("diverted for these arguments: unchecked, to the fallback")
                    .isEqualTo("{\"return\": {\"name\": \"object-add\", "
                            + "\"arguments\": {\"qom-type\": \"iothread\", \"id\": \"t\"}}}\r\n");
            c.send(
                    "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"secret\", \"id\": \"s\", \"data\": \"x\"}}\n");
            assertThat(c.next()).as("not diverted: qmpd's own handler").isEqualTo("{\"return\": {}}\r\n");
            c.send("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/objects\"}}\n");
            assertThat(c.next()).contains("{\"name\": \"s\", \"type\": \"child<secret>\"}");
            c.send("{\"execute\": \"query-commands\"}\n");
            assertThat(c.next())
                    .as("the fallback's names first, then the server's own")
                    .startsWith(
                            "{\"return\": [{\"name\": \"query-pci\"}, {\"name\": \"x-fail\"}, {\"name\": \"x-oob\"}, "
                                    + "{\"name\": \"qmp_capabilities\"}, ")
                    .contains("{\"name\": \"quit\"}");
            c.send("{\"exec-oob\": \"nonesuch\", \"id\": 3}\n");
            assertThat(c.next())
                    .as("a name the fallback does not list is not found, out of band too")
                    .isEqualTo("{\"id\": 3, \"error\": {\"class\": \"CommandNotFound\", "
                            + "\"desc\": \"The command nonesuch has not been found\"}}\r\n");
        }
    }

    @Test
    void diverting_a_command_nobody_serves_or_without_a_fallback_is_a_start_up_error() {
        Backend wrong = (commands, host) -> {
            commands.divert("no-such-command").divert("query-version");
            return new Backend.Attached() {};
        };
        assertThatThrownBy(() -> QmpServer.builder().backend(wrong).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("diverted command 'no-such-command' has no handler")
                .hasMessageContaining("diverted commands without a fallback");
    }

    @Test
    void a_second_fallback_is_a_start_up_error() {
        Backend twice = (commands, host) -> {
            commands.fallback((ctx, name, args) -> null).fallback((ctx, name, args) -> null);
            return new Backend.Attached() {};
        };
        assertThatThrownBy(() -> QmpServer.builder().backend(twice).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("second fallback");
    }

    @Test
    void a_server_without_a_back_end_answers_undeclared_commands_as_qemu() {
        try (QmpServer server = QmpServer.builder().build().start()) {
            TestChardev c = TestMonitors.negotiated(server, "c", false, false);
            c.send("{\"execute\": \"query-pci\"}\n");
            assertThat(c.next())
                    .isEqualTo(
                            "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command query-pci has not been found\"}}\r\n");
            assertThat(server.commands().names()).doesNotContain("stop", "query-status");
        }
    }
}
