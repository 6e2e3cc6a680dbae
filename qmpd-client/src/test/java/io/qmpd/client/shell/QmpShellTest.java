package io.qmpd.client.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.client.FakeQmpServer;
import io.qmpd.client.QmpClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shell fed through stdin as a person would type, against a scripted server on a real socket. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class QmpShellTest {

    @TempDir
    Path dir;

    private FakeQmpServer server;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        server = FakeQmpServer.unix(dir.resolve("qmp.sock"), FakeQmpServer.GREETING_OOB);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** Runs the shell on its own thread with {@code input} as stdin. */
    private CompletableFuture<Integer> shell(String input, String... options) {
        String[] args = new String[options.length + 1];
        System.arraycopy(options, 0, args, 0, options.length);
        args[options.length] = dir.resolve("qmp.sock").toString();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        exit.complete(new QmpShell(
                                        new PrintStream(out, true, StandardCharsets.UTF_8),
                                        new PrintStream(err, true, StandardCharsets.UTF_8))
                                .run(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), false));
                    } catch (Throwable t) {
                        exit.completeExceptionally(t);
                    }
                },
                "shell-under-test");
        thread.start();
        return exit;
    }

    private void reply(String result) throws Exception {
        FakeQmpServer.Received request = server.nextCommand();
        server.send("{\"return\": " + result + (request.json().has("id") ? ", \"id\": " + request.id() : "") + "}");
    }

    @Test
    void commandsRepliesAndEventsPrintAsInQemusShell() throws Exception {
        CompletableFuture<Integer> exit = shell("query-status\n\nstop\nbogus word\nquery-name\n");
        FakeQmpServer.Received status = server.nextCommand();
        assertThat(status.text()).isEqualTo("{\"execute\":\"query-status\",\"arguments\":{}}");
        server.send("{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}}");
        server.nextRequest();
        // The event the command causes comes before its reply, and prints before it.
        server.send("{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}", "{\"return\": {}}");
        FakeQmpServer.Received name = server.nextRequest();
        assertThat(name.text()).isEqualTo("{\"execute\":\"query-name\",\"arguments\":{}}");
        server.send("{\"return\": {\"name\": \"vm\"}}");
        assertThat(exit.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                Welcome to the QMP low-level shell!
                Connected to QEMU 7.2.22

                (QEMU) {"return": {"status": "prelaunch", "singlestep": false, "running": false}}
                (QEMU) (QEMU) {"timestamp": {"seconds": 1, "microseconds": 2}, "event": "STOP"}
                {"return": {}}
                (QEMU) (QEMU) {"return": {"name": "vm"}}
                (QEMU)\s
                """);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("""
                Error while parsing command line: Expected a key=value pair, got 'word'
                command format: <command-name> [arg-name1=arg1] ... [arg-nameN=argN]
                """);
    }

    @Test
    void prettyPrintingAndRawJsonLines() throws Exception {
        CompletableFuture<Integer> exit = shell("{\"execute\": \"query-name\", \"id\": \"mine\"}\n", "-p");
        assertThat(server.nextCommand().text()).isEqualTo("{\"execute\":\"query-name\",\"id\":\"mine\"}");
        server.send("{\"return\": {\"name\": \"vm\"}, \"id\": \"mine\"}");
        assertThat(exit.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("""
                (QEMU) {
                    "id": "mine",
                    "return": {
                        "name": "vm"
                    }
                }
                (QEMU)\s
                """);
    }

    @Test
    void hmpModeTunnelsThroughHumanMonitorCommand() throws Exception {
        CompletableFuture<Integer> exit = shell("info status\nnonsense\n", "-H");
        assertThat(server.nextCommand().text())
                .isEqualTo(
                        "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info status\",\"cpu-index\":0}}");
        server.send("{\"return\": \"VM status: paused (prelaunch)\\r\\n\"}");
        server.nextRequest();
        server.send("{\"error\": {\"class\": \"GenericError\", \"desc\": \"unknown command: 'nonsense'\"}}");
        assertThat(exit.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "Welcome to the HMP shell!\nConnected to QEMU 7.2.22\n\n"
                                + "(QEMU) VM status: paused (prelaunch)\r\n (QEMU) GenericError: unknown command: 'nonsense'\n(QEMU) \n");
    }

    @Test
    void theServerLeavingEndsTheShellWithDisconnected() throws Exception {
        CompletableFuture<Integer> exit = shell("query-status\nquery-name\n");
        server.nextCommand();
        server.dropClient();
        assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("(QEMU) Disconnected\n");
    }

    @Test
    void helpDescribesEveryOption() throws Exception {
        int status = new QmpShell(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(new String[] {"-h"}, new ByteArrayInputStream(new byte[0]), false);
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("usage: qmp-shell [-h] [-H] [-N] [-v] [-p] [-l LOGFILE] SOCKET")
                .contains(
                        "-h, --help",
                        "-H, --hmp",
                        "-N, --skip-negotiation",
                        "-v, --verbose",
                        "-p, --pretty",
                        "-l LOGFILE, --logfile LOGFILE",
                        "$QMP_SOCKET");
    }

    @Test
    void theLogfileGetsEachCommandWithItsReply() throws Exception {
        Path log = dir.resolve("shell.log");
        CompletableFuture<Integer> exit = shell("query-name\n", "-l", log.toString());
        server.nextCommand();
        server.send("{\"return\": {\"name\": \"vm\"}}");
        assertThat(exit.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(Files.readString(log))
                .isEqualTo("{\"execute\": \"query-name\", \"arguments\": {}, \"return\": {\"name\": \"vm\"}}\n");
    }

    @Test
    void aMonitorThatDoesNotGreetIsSaidToBeBusyAtOnce() throws Exception {
        Path busy = dir.resolve("busy.sock");
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(busy)); // never accepts: the client waits in the backlog
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        new Thread(
                        () -> {
                            try {
                                exit.complete(new QmpShell(
                                                new PrintStream(out, true, StandardCharsets.UTF_8),
                                                new PrintStream(err, true, StandardCharsets.UTF_8))
                                        .run(
                                                new String[] {busy.toString()},
                                                new ByteArrayInputStream(new byte[0]),
                                                false));
                            } catch (Throwable t) {
                                exit.completeExceptionally(t);
                            }
                        },
                        "shell-under-test")
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!err.toString(StandardCharsets.UTF_8).contains("probably serving another client")) {
            assertThat(System.nanoTime()).as("the busy note within 5 s").isLessThan(deadline);
            assertThat(exit).isNotDone();
            Thread.onSpinWait();
        }
        listener.close(); // the waiting connection is reset
        assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith(
                        "qmp-shell: no greeting yet from " + busy + ": the monitor is probably serving another client");
    }

    @Test
    void noSocketIsAUsageError() throws Exception {
        int status = new QmpShell(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(new String[] {"-p", "a", "b"}, new ByteArrayInputStream(new byte[0]), false);
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: qmp-shell");
    }

    @Test
    void completionWordsAreTheNamesQueryCommandsReturns() throws Exception {
        try (QmpClient client =
                QmpClient.builder().unix(dir.resolve("qmp.sock")).build()) {
            client.connect();
            CompletableFuture<List<String>> names = CompletableFuture.supplyAsync(() -> QmpShell.commandNames(client));
            FakeQmpServer.Received query = server.nextCommand();
            assertThat(query.json().get("execute").asText()).isEqualTo("query-commands");
            server.send(
                    "{\"return\": [{\"name\": \"query-status\"}, {\"name\": \"stop\"}], \"id\": " + query.id() + "}");
            assertThat(names.get(5, TimeUnit.SECONDS)).containsExactly("query-status", "stop");
        }
    }
}
