package io.qmpd.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.chardev.TestChardev;
import io.qmpd.qapi.ErrorClass;
import io.qmpd.qapi.QmpError;
import io.qmpd.qapi.QmpException;
import io.qmpd.qapi.Schema;
import io.qmpd.server.QmpServer;
import io.qmpd.server.TestMachine;
import io.qmpd.server.TestMonitors;
import io.qmpd.testing.NothingLeaks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Commands that answer later: the handler returns a stage completed on another thread. Its monitor
 * waits for the reply before its next request, the dispatcher serves other monitors meanwhile, and
 * a reply for a monitor removed in between is dropped.
 */
@ExtendWith(NothingLeaks.class)
class AsyncCommandTest {

    /** x-where's and x-block's arguments in the test schema. */
    record TagArgs(String tag) {}

    /** The stages x-where handed out, in order; the test completes them. */
    private final BlockingQueue<CompletableFuture<Object>> pending = new LinkedBlockingQueue<>();

    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final QmpServer server = QmpServer.builder()
            .backend(new TestMachine(false))
            .schema(Schema.builtinWith(List.of(TestMachine.SCHEMA, "test-schema.json")))
            .commands(b -> b.register("x-where", TagArgs.class, (ctx, a) -> {
                        CompletableFuture<Object> answer = new CompletableFuture<>();
                        pending.add(answer);
                        return answer;
                    })
                    .register("x-oob-echo", TagArgs.class, (ctx, a) -> {
                        // completes on another thread 0-2 ms later, echoing its tag
                        CompletableFuture<Object> answer = new CompletableFuture<>();
                        later.schedule(
                                () -> answer.complete(List.of(a.tag())),
                                ThreadLocalRandom.current().nextInt(2000),
                                TimeUnit.MICROSECONDS);
                        return answer;
                    }))
            .pendingCommands(List.of("x-block", "x-emit"))
            .build()
            .start();

    @AfterEach
    void stop() {
        server.close();
        later.shutdownNow();
    }

    private CompletableFuture<Object> nextPending() throws InterruptedException {
        CompletableFuture<Object> f = pending.poll(5, TimeUnit.SECONDS);
        assertThat(f).as("the handler ran").isNotNull();
        return f;
    }

    @Test
    void otherMonitorsAreServedWhileACommandWaitsAndItsMonitorWaitsForTheReply() throws Exception {
        TestChardev a = TestMonitors.negotiated(server, "a", false, true);
        TestChardev b = TestMonitors.negotiated(server, "b", false, false);
        a.send("{\"execute\": \"x-where\", \"id\": 1}\n{\"execute\": \"query-name\", \"id\": 2}\n");
        CompletableFuture<Object> answer = nextPending();
        for (int i = 0; i < 3; i++) {
            b.send("{\"execute\": \"query-status\", \"id\": " + i + "}\n");
            assertThat(b.next()).startsWith("{\"return\": {\"status\": \"running\"");
        }
        assertThat(a.pending())
                .as("nothing of a's answered before its first reply")
                .isZero();
        CompletableFuture.runAsync(
                () -> answer.complete(List.of("later")), CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
        assertThat(a.next()).isEqualTo("{\"return\": [\"later\"], \"id\": 1}\r\n");
        assertThat(a.next()).isEqualTo("{\"return\": {}, \"id\": 2}\r\n");
    }

    @Test
    void aFailedStageAnswersWithItsErrorAndTheRequestsId() throws Exception {
        TestChardev a = TestMonitors.negotiated(server, "a", false, false);
        a.send("{\"execute\": \"x-where\", \"id\": \"q\"}\n");
        nextPending()
                .completeExceptionally(
                        new QmpException(new QmpError(ErrorClass.DeviceNotFound, "Device 'x' not found")));
        assertThat(a.next())
                .isEqualTo("{\"id\": \"q\", \"error\": {\"class\": \"DeviceNotFound\", \"desc\": "
                        + "\"Device 'x' not found\"}}\r\n");
        a.send("{\"execute\": \"x-where\", \"id\": \"r\"}\n");
        nextPending().completeExceptionally(new IllegalStateException("upstream went away"));
        assertThat(a.next())
                .isEqualTo("{\"id\": \"r\", \"error\": {\"class\": \"GenericError\", \"desc\": "
                        + "\"upstream went away\"}}\r\n");
    }

    @Test
    void aMonitorRemovedWhileItsCommandWaitsNeverGetsTheReplyAndTheOthersGoOn() throws Exception {
        TestChardev a = TestMonitors.negotiated(server, "a", true, true);
        TestChardev ctl = TestMonitors.negotiated(server, "ctl", false, false);
        a.send("{\"execute\": \"x-where\", \"id\": 1}\n");
        CompletableFuture<Object> answer = nextPending();
        ctl.send("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"a\"}}\n");
        assertThat(ctl.next()).isEqualTo("{\"return\": {}}\r\n");
        answer.complete(List.of("too late"));
        ctl.send("{\"execute\": \"query-monitors\"}\n");
        assertThat(ctl.next()).doesNotContain("\"id\": \"a\"");
        assertThat(a.pending()).as("the reply for a removed monitor is dropped").isZero();
        ctl.send("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"a\"}}\n");
        assertThat(ctl.next()).as("the chardev is free again").isEqualTo("{\"return\": {}}\r\n");
    }

    @Test
    void manyMonitorsWithCommandsAnsweringOnAnotherThreadGetEveryReplyInOrder() throws Exception {
        int monitors = 4;
        int requests = 300;
        List<TestChardev> clients = new ArrayList<>();
        for (int m = 0; m < monitors; m++) {
            clients.add(TestMonitors.negotiated(server, "m" + m, false, m % 2 == 0));
        }
        for (int m = 0; m < monitors; m++) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < requests; i++) {
                batch.append("{\"execute\": \"x-oob-echo\", \"arguments\": {\"tag\": \"m")
                        .append(m)
                        .append('-')
                        .append(i)
                        .append("\"}, \"id\": ")
                        .append(i)
                        .append("}\n");
            }
            clients.get(m).sendAsync(batch.toString().getBytes(StandardCharsets.US_ASCII));
        }
        for (int m = 0; m < monitors; m++) {
            for (int i = 0; i < requests; i++) {
                assertThat(clients.get(m).next())
                        .isEqualTo("{\"return\": [\"m" + m + "-" + i + "\"], \"id\": " + i + "}\r\n");
            }
        }
    }
}
