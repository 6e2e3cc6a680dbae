package io.qmpd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmpd.json.VersionInfo;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class QmpClientTest {

    @TempDir
    Path dir;

    private FakeQmpServer server;
    private QmpClient client;

    @BeforeEach
    void start() throws IOException {
        server = FakeQmpServer.unix(dir.resolve("qmp.sock"), FakeQmpServer.GREETING_OOB);
        client = QmpClient.builder()
                .unix(dir.resolve("qmp.sock"))
                .name("t")
                .timeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        assertThat(client.runstate()).isEqualTo(Runstate.IDLE);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("the future did not complete within 5 s", e);
        }
        throw new AssertionError("the future succeeded");
    }

    private static JsonNode valueOf(CompletableFuture<JsonNode> future) throws Exception {
        return future.get(5, TimeUnit.SECONDS);
    }

    @Test
    void connectReadsTheGreetingAndEnablesOobWhenOffered() throws Exception {
        assertThat(client.runstate()).isEqualTo(Runstate.IDLE);
        Greeting greeting = client.connect();
        assertThat(greeting)
                .isEqualTo(new Greeting(new VersionInfo(7, 2, 22, "Debian 1:7.2+dfsg-7+deb12u18+b3"), List.of("oob")));
        assertThat(server.nextRequest().text())
                .isEqualTo(
                        "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]},\"id\":\"__qmpd-client-1\"}");
        assertThat(client.runstate()).isEqualTo(Runstate.RUNNING);
        assertThat(client.enabledCapabilities()).containsExactly("oob");
    }

    @Test
    void withoutOobOfferedNegotiationSendsNoArgumentsAndExecOobIsRefused() throws Exception {
        try (FakeQmpServer plain = FakeQmpServer.tcp(FakeQmpServer.GREETING_PLAIN);
                QmpClient tcp =
                        QmpClient.builder().tcp("127.0.0.1", plain.port()).build()) {
            assertThat(tcp.connect().version()).isEqualTo(new VersionInfo(11, 0, 0, ""));
            assertThat(plain.nextRequest().text())
                    .isEqualTo("{\"execute\":\"qmp_capabilities\",\"id\":\"__qmpd-client-1\"}");
            assertThat(tcp.enabledCapabilities()).isEmpty();
            assertThatThrownBy(() -> tcp.executeOob("query-status", null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("oob: not negotiated (expected: a server offering \"oob\")");
            assertThatThrownBy(() -> tcp.execute("getfd", Map.of("fdname", "x"), FileDescriptor.in))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("fds: 1 descriptors (expected: none on a TCP connection)");
        }
    }

    @Test
    void pipelinedRepliesAreMatchedByIdWhateverTheirOrder() throws Exception {
        client.connect();
        CompletableFuture<JsonNode> a = client.execute("query-status");
        CompletableFuture<JsonNode> b = client.execute("query-name");
        CompletableFuture<JsonNode> c = client.executeOob("x-oob-test", Map.of("n", 3));
        FakeQmpServer.Received ra = server.nextCommand();
        FakeQmpServer.Received rb = server.nextRequest();
        FakeQmpServer.Received rc = server.nextRequest();
        assertThat(rc.text())
                .isEqualTo("{\"exec-oob\":\"x-oob-test\",\"arguments\":{\"n\":3},\"id\":\"__qmpd-client-4\"}");
        server.send(
                "{\"return\": {\"c\": 3}, \"id\": " + rc.id() + "}",
                "{\"return\": {\"a\": 1}, \"id\": " + ra.id() + "}");
        assertThat(valueOf(c).toString()).isEqualTo("{\"c\":3}");
        assertThat(valueOf(a).toString()).isEqualTo("{\"a\":1}");
        assertThat(b).isNotDone();
        server.send("{\"return\": {\"b\": 2}, \"id\": " + rb.id() + "}");
        assertThat(valueOf(b).toString()).isEqualTo("{\"b\":2}");
    }

    @Test
    void anErrorReplyFailsWithQemusClassAndDescription() throws Exception {
        client.connect();
        CompletableFuture<JsonNode> call = client.execute("nope");
        server.send("{\"id\": " + server.nextCommand().id()
                + ", \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command nope has not been found\"}}");
        Throwable failure = failureOf(call);
        assertThat(failure)
                .isInstanceOf(QmpErrorResponseException.class)
                .hasMessage("nope: CommandNotFound: The command nope has not been found");
        QmpErrorResponseException error = (QmpErrorResponseException) failure;
        assertThat(error.errorClass()).isEqualTo("CommandNotFound");
        assertThat(error.desc()).isEqualTo("The command nope has not been found");
    }

    @Test
    void anEventWrittenBeforeTheReplyReachesListenersBeforeTheReplyCompletes() throws Exception {
        client.connect();
        List<String> seen = new CopyOnWriteArrayList<>();
        client.addEventListener(e -> seen.add("all:" + e.name()));
        client.addEventListener(e -> seen.add("stop-only:" + e.name()), "STOP");
        CompletableFuture<QmpEvent> stop = client.nextEvent("STOP");
        CompletableFuture<List<String>> seenAtReply = client.execute("stop").thenApply(r -> List.copyOf(seen));
        String id = server.nextCommand().id();
        // Both in one write: the reader sees them in the same read.
        server.send(
                "{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 42}, \"event\": \"RESUME\"}",
                "{\"timestamp\": {\"seconds\": 1700000001, \"microseconds\": 43}, \"event\": \"STOP\"}",
                "{\"return\": {}, \"id\": " + id + "}");
        assertThat(seenAtReply.get(5, TimeUnit.SECONDS)).containsExactly("all:RESUME", "all:STOP", "stop-only:STOP");
        QmpEvent event = stop.get(5, TimeUnit.SECONDS);
        assertThat(event.seconds()).isEqualTo(1700000001L);
        assertThat(event.microseconds()).isEqualTo(43L);
        assertThat(event.data().toString()).isEqualTo("{}");
    }

    @Test
    void aRemovedListenerHearsNothingMore() throws Exception {
        client.connect();
        List<String> seen = new CopyOnWriteArrayList<>();
        AutoCloseable registration = client.addEventListener(e -> seen.add(e.name()));
        CompletableFuture<QmpEvent> firstA = client.nextEvent("A");
        server.send("{\"event\": \"A\", \"data\": {\"x\": 1}, \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}");
        assertThat(firstA.get(5, TimeUnit.SECONDS).data().toString()).isEqualTo("{\"x\":1}");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (seen.isEmpty()) { // the listener runs on the same serial executor, maybe just after
            assertThat(System.nanoTime() - deadline)
                    .as("the listener heard the first A")
                    .isNegative();
            Thread.onSpinWait();
        }

        CompletableFuture<QmpEvent> secondA = client.nextEvent("A");
        CompletableFuture<QmpEvent> b = client.nextEvent("B");
        registration.close();
        server.send(
                "{\"event\": \"A\", \"data\": {\"x\": 2}, \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}",
                "{\"event\": \"B\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}");
        assertThat(secondA.get(5, TimeUnit.SECONDS).data().toString()).isEqualTo("{\"x\":2}");
        b.get(5, TimeUnit.SECONDS); // delivered after the second A, in wire order
        assertThat(seen).containsExactly("A");
    }

    @Test
    void theServerLeavingMidCommandFailsEveryPendingFutureWithAClearError() throws Exception {
        client.connect();
        CompletableFuture<JsonNode> a = client.execute("query-status");
        CompletableFuture<JsonNode> b = client.execute("query-name");
        server.nextCommand();
        server.nextRequest();
        server.dropClient();
        assertThat(failureOf(a))
                .isInstanceOf(QmpConnectionClosedException.class)
                .hasMessage(
                        "connection closed by the server while waiting for the reply to 'query-status' (id \"__qmpd-client-2\")");
        assertThat(failureOf(b))
                .isInstanceOf(QmpConnectionClosedException.class)
                .hasMessage(
                        "connection closed by the server while waiting for the reply to 'query-name' (id \"__qmpd-client-3\")");
        client.disconnected().get(5, TimeUnit.SECONDS);
        assertThat(client.runstate()).isEqualTo(Runstate.IDLE);
        assertThatThrownBy(() -> client.execute("query-status"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("state: IDLE (expected: RUNNING)");
    }

    @Test
    void anIdleClientConnectsAgain() throws Exception {
        client.connect();
        client.disconnect();
        assertThat(client.runstate()).isEqualTo(Runstate.IDLE);
        client.connect();
        CompletableFuture<JsonNode> call = client.execute("query-status");
        FakeQmpServer.Received request = server.nextCommand();
        while (!request.json().path("execute").asText().equals("query-status")) {
            request = server.nextCommand();
        }
        server.send("{\"return\": {\"status\": \"running\"}, \"id\": " + request.id() + "}");
        assertThat(valueOf(call).get("status").asText()).isEqualTo("running");
    }

    @Test
    void disconnectingFailsPendingCallsAsClosedByTheClient() throws Exception {
        client.connect();
        CompletableFuture<JsonNode> a = client.execute("query-status");
        server.nextCommand();
        client.disconnect();
        assertThat(client.runstate()).isEqualTo(Runstate.IDLE);
        assertThat(failureOf(a))
                .isInstanceOf(QmpConnectionClosedException.class)
                .hasMessage(
                        "connection closed by the client while waiting for the reply to 'query-status' (id \"__qmpd-client-2\")");
    }

    @Test
    void garbageFromTheServerClosesTheConnectionWithAProtocolError() throws Exception {
        client.connect();
        CompletableFuture<JsonNode> a = client.execute("query-status");
        server.nextCommand();
        server.send("@");
        assertThat(failureOf(a))
                .isInstanceOf(QmpProtocolException.class)
                .hasMessage("protocol error: the server sent invalid JSON (JSON parse error, stray '@')"
                        + " while waiting for the reply to 'query-status' (id \"__qmpd-client-2\")");
        client.disconnected().get(5, TimeUnit.SECONDS);
        assertThat(client.runstate()).isEqualTo(Runstate.IDLE);
    }

    @Test
    void aMessageThatIsNeitherReplyNorEventIsAProtocolError() throws Exception {
        client.connect();
        CompletableFuture<JsonNode> a = client.execute("query-status");
        server.nextCommand();
        server.send("{\"hello\": 1}");
        assertThat(failureOf(a))
                .isInstanceOf(QmpProtocolException.class)
                .hasMessage("protocol error: neither reply nor event: {\"hello\":1}"
                        + " while waiting for the reply to 'query-status' (id \"__qmpd-client-2\")");
    }

    @Test
    void aTimedOutCallFailsAndItsLateReplyIsDiscarded() throws Exception {
        client.connect();
        CompletableFuture<JsonNode> slow = client.execute(QmpRequest.of("slow").withTimeout(Duration.ofMillis(50)));
        String slowId = server.nextCommand().id();
        assertThat(failureOf(slow))
                .isInstanceOf(TimeoutException.class)
                .hasMessage("no reply to 'slow' (id \"__qmpd-client-2\") within 50 ms");
        CompletableFuture<JsonNode> next = client.execute("query-name");
        String nextId = server.nextRequest().id();
        server.send(
                "{\"return\": {\"late\": true}, \"id\": " + slowId + "}",
                "{\"return\": {\"name\": \"vm\"}, \"id\": " + nextId + "}");
        assertThat(valueOf(next).toString()).isEqualTo("{\"name\":\"vm\"}");
        assertThat(client.runstate()).isEqualTo(Runstate.RUNNING);
    }

    @Test
    void aCancelledCallsLateReplyIsDiscarded() throws Exception {
        client.connect();
        CompletableFuture<JsonNode> cancelled = client.execute("query-status");
        String cancelledId = server.nextCommand().id();
        assertThat(cancelled.cancel(true)).isTrue();
        CompletableFuture<JsonNode> next = client.execute("query-name");
        String nextId = server.nextRequest().id();
        server.send(
                "{\"return\": {\"late\": true}, \"id\": " + cancelledId + "}",
                "{\"return\": {}, \"id\": " + nextId + "}");
        assertThat(valueOf(next).toString()).isEqualTo("{}");
        assertThatThrownBy(cancelled::join).isInstanceOf(CancellationException.class);
    }

    @Test
    void callbacksRunOnTheCallbackThreadNotTheReader() throws Exception {
        client.connect();
        CompletableFuture<JsonNode> call = client.execute("query-status");
        CompletableFuture<String> thread =
                call.thenApply(r -> Thread.currentThread().getName());
        server.send("{\"return\": {}, \"id\": " + server.nextCommand().id() + "}");
        assertThat(thread.get(5, TimeUnit.SECONDS)).isEqualTo("qmpd-client-t-callbacks");
    }

    @Test
    void descriptorsTravelWithTheCommandAsScmRights() throws Exception {
        client.connect();
        Path file = dir.resolve("passed.txt");
        try (FileOutputStream passed = new FileOutputStream(file.toFile())) {
            CompletableFuture<JsonNode> call = client.execute("getfd", Map.of("fdname", "fd0"), passed.getFD());
            FakeQmpServer.Received request = server.nextCommand();
            assertThat(request.text())
                    .isEqualTo("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"fd0\"},\"id\":\"__qmpd-client-2\"}");
            assertThat(request.fds()).hasSize(1);
            // The received descriptor is a new number for the same open file: write through it.
            try (FileOutputStream received = new FileOutputStream(request.fds().get(0))) {
                received.write("through the socket".getBytes(StandardCharsets.UTF_8));
            }
            server.send("{\"return\": {}, \"id\": " + request.id() + "}");
            assertThat(valueOf(call).toString()).isEqualTo("{}");
        }
        assertThat(Files.readString(file)).isEqualTo("through the socket");
    }

    @Test
    void rawMessagesGoOutAsTheyAreAndGetTheWholeReply() throws Exception {
        client.connect();
        var message = new ObjectMapper().createObjectNode().put("execute", "query-name");
        CompletableFuture<JsonNode> call = client.executeRaw(message);
        assertThat(server.nextCommand().text()).isEqualTo("{\"execute\":\"query-name\"}");
        server.send("{\"error\": {\"class\": \"GenericError\", \"desc\": \"no\"}}");
        assertThat(valueOf(call).toString()).isEqualTo("{\"error\":{\"class\":\"GenericError\",\"desc\":\"no\"}}");
    }

    @Test
    void rawMessagesWithoutAnIdAreAnsweredInTheOrderSent() throws Exception {
        client.connect();
        ObjectMapper json = new ObjectMapper();
        List<CompletableFuture<JsonNode>> calls = List.of(
                client.executeRaw(json.createObjectNode().put("execute", "a")),
                client.executeRaw(json.createObjectNode().put("execute", "b")),
                client.executeRaw(json.createObjectNode().put("execute", "c")));
        for (String name : List.of("a", "b", "c")) {
            assertThat(server.nextCommand().text()).isEqualTo("{\"execute\":\"" + name + "\"}");
        }
        server.send("{\"return\": {\"a\": 1}}");
        server.send("{\"return\": {\"b\": 2}}");
        server.send("{\"return\": {\"c\": 3}}");
        assertThat(calls.stream().map(c -> c.join().toString()))
                .containsExactly("{\"return\":{\"a\":1}}", "{\"return\":{\"b\":2}}", "{\"return\":{\"c\":3}}");
    }

    @Test
    void aCancelledRawCallWithoutAnIdKeepsItsPlaceSoItsLateReplyGoesNowhere() throws Exception {
        client.connect();
        ObjectMapper json = new ObjectMapper();
        CompletableFuture<JsonNode> first =
                client.executeRaw(json.createObjectNode().put("execute", "a"));
        server.nextCommand();
        first.cancel(false);
        CompletableFuture<JsonNode> second =
                client.executeRaw(json.createObjectNode().put("execute", "b"));
        server.nextCommand();
        server.send("{\"return\": {\"a\": 1}}"); // the cancelled call's
        server.send("{\"return\": {\"b\": 2}}");
        assertThat(valueOf(second).toString()).isEqualTo("{\"return\":{\"b\":2}}");
        assertThat(first).isCancelled();
    }

    @Test
    void theBuilderRejectsMissingAndBadValues() {
        assertThatThrownBy(() -> QmpClient.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint: none (expected: unix(path), tcp(host, port) or connectedSocket(fd))");
        assertThatThrownBy(() -> QmpClient.builder().tcp("localhost", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port: 0 (expected: 1..65535)");
        assertThatThrownBy(() -> QmpClient.builder()
                        .unix(dir.resolve("x"))
                        .timeout(Duration.ZERO)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout: PT0S (expected: > 0)");
    }

    @Test
    void connectingTwiceIsAStateError() throws Exception {
        client.connect();
        assertThatThrownBy(client::connect)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("state: RUNNING (expected: IDLE)");
    }

    @Test
    void connectingToNothingFailsAndLeavesTheClientIdle() {
        QmpClient nowhere = QmpClient.builder().unix(dir.resolve("absent.sock")).build();
        assertThatThrownBy(nowhere::connect).isInstanceOf(IOException.class);
        assertThat(nowhere.runstate()).isEqualTo(Runstate.IDLE);
    }
}
