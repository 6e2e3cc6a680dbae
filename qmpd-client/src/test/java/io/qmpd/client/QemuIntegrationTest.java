package io.qmpd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmpd.testing.ServerProcess;
import io.qmpd.testing.ServerProcess.Kind;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real QEMU (skipped, saying so, where {@code qemu-system-x86_64} is not installed). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QemuIntegrationTest {

    @TempDir
    Path dir;

    private ServerProcess qemu;
    private static final ObjectMapper JSON = new ObjectMapper();

    private QmpClient client;

    /** Starts QEMU 7.2 with a QMP socket and waits (bounded) until the socket exists. */
    static ServerProcess startQemu(Path socket) throws Exception {
        assumeTrue(
                ServerProcess.qemuAvailable(),
                "qemu-system-x86_64 is not installed: the QEMU integration test is skipped");
        List<String> options = new ArrayList<>(ServerProcess.BARE_OPTIONS);
        options.addAll(List.of("-qmp", "unix:" + socket + ",server=on,wait=off"));
        return ServerProcess.start(
                Kind.QEMU, options, socket.resolveSibling("qemu.log"), List.of(socket), Duration.ofSeconds(10));
    }

    /**
     * Connects, retrying (bounded) while QEMU has bound its socket but not yet listens on it.
     */
    static Greeting connect(QmpClient client, ServerProcess qemu) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return client.connect();
            } catch (IOException e) {
                if (!qemu.isAlive() || System.nanoTime() > deadline) {
                    throw e;
                }
                qemu.awaitExit(Duration.ofMillis(20)); // a bounded pause before the next try
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        qemu = startQemu(dir.resolve("q.sock"));
        client = QmpClient.builder()
                .unix(dir.resolve("q.sock"))
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (qemu != null) {
            qemu.close();
        }
    }

    @Test
    void talksToQemu72() throws Exception {
        Greeting greeting = connect(client, qemu);
        assertThat(greeting.version().major()).isEqualTo(7);
        assertThat(greeting.version().minor()).isEqualTo(2);
        assertThat(greeting.capabilities()).containsExactly("oob");
        assertThat(client.enabledCapabilities()).containsExactly("oob");

        assertThat(client.execute("query-status").get().toString())
                .isEqualTo("{\"status\":\"prelaunch\",\"singlestep\":false,\"running\":false}");
        ExecutionException error = Assertions.assertThrows(
                ExecutionException.class,
                () -> client.execute("no-such-command").get());
        assertThat(error.getCause()).isInstanceOf(QmpErrorResponseException.class);
        assertThat(((QmpErrorResponseException) error.getCause()).errorClass()).isEqualTo("CommandNotFound");
        assertThat(((QmpErrorResponseException) error.getCause()).desc())
                .isEqualTo("The command no-such-command has not been found");

        // Pipelined, one out of band (which QEMU refuses for a command without allow-oob).
        CompletableFuture<JsonNode> name = client.execute("query-name");
        CompletableFuture<JsonNode> version = client.execute("query-version");
        CompletableFuture<JsonNode> oob = client.executeOob("query-version", null);
        ExecutionException refused = Assertions.assertThrows(ExecutionException.class, oob::get);
        assertThat(refused.getCause())
                .hasMessage("query-version: GenericError: The command query-version does not support OOB");
        assertThat(name.get().toString()).isEqualTo("{}");
        assertThat(version.get().path("qemu").path("minor").asInt()).isEqualTo(2);
    }

    @Test
    void qemuAnswersInBandCommandsWithoutIdsInTheOrderSent() throws Exception {
        connect(client, qemu);
        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String command = List.of("query-name", "query-status", "no-such-command", "query-version")
                    .get(i % 4);
            calls.add(client.executeRaw(JSON.createObjectNode().put("execute", command)));
            expected.add(command);
        }
        CompletableFuture<JsonNode> oob = client.executeOob("yank", Map.of("instances", List.of()));
        assertThat(oob.get(10, TimeUnit.SECONDS).toString()).isEqualTo("{}");
        for (int i = 0; i < calls.size(); i++) {
            JsonNode reply = calls.get(i).get(10, TimeUnit.SECONDS);
            assertThat(reply.has("id")).isFalse();
            String shape = switch (expected.get(i)) {
                case "query-name" -> reply.path("return").toString();
                case "query-status" -> reply.path("return").path("status").asText();
                case "no-such-command" -> reply.path("error").path("class").asText();
                default -> reply.path("return").path("qemu").path("major").asText();
            };
            assertThat(shape)
                    .as("reply %d, to %s", i, expected.get(i))
                    .isEqualTo(
                            switch (expected.get(i)) {
                                case "query-name" -> "{}";
                                case "query-status" -> "prelaunch";
                                case "no-such-command" -> "CommandNotFound";
                                default -> "7";
                            });
        }
    }

    @Test
    void theEventACommandCausesIsNotMissed() throws Exception {
        connect(client, qemu);
        CompletableFuture<QmpEvent> resume = client.nextEvent("RESUME");
        client.execute("cont").get();
        assertThat(resume.get(10, TimeUnit.SECONDS).data().toString()).isEqualTo("{}");
        CompletableFuture<QmpEvent> shutdown = client.nextEvent("SHUTDOWN");
        client.execute("quit").get();
        assertThat(shutdown.get(10, TimeUnit.SECONDS).data().path("reason").asText())
                .isEqualTo("host-qmp-quit");
        assertThat(client.disconnected().get(10, TimeUnit.SECONDS)).isInstanceOf(QmpConnectionClosedException.class);
        assertThat(client.runstate()).isEqualTo(Runstate.IDLE);
    }

    @Test
    void aDescriptorPassedWithAddFdLandsInAnFdset() throws Exception {
        connect(client, qemu);
        Path file = Files.writeString(dir.resolve("passed.txt"), "x");
        try (FileInputStream passed = new FileInputStream(file.toFile())) {
            JsonNode added = client.execute("add-fd", Map.of("fdset-id", 7, "opaque", "from-java"), passed.getFD())
                    .get();
            assertThat(added.path("fdset-id").asInt()).isEqualTo(7);
            JsonNode fdsets = client.execute("query-fdsets").get();
            assertThat(fdsets.get(0).path("fdset-id").asInt()).isEqualTo(7);
            assertThat(fdsets.get(0).path("fds").get(0).path("opaque").asText()).isEqualTo("from-java");
            assertThat(fdsets.get(0).path("fds").get(0).path("fd").asInt())
                    .isEqualTo(added.path("fd").asInt());
        }
    }
}
