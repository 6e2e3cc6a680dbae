package io.qmpd.client.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.client.FakeQmpServer;
import io.qmpd.testing.PseudoTerminal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/qmp-shell} on a real pseudo-terminal (util-linux {@code script} in between), typed
 * into as a person would: Tab completes a command name from {@code query-commands}.
 */
class TerminalShellTest {

    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(20);

    @TempDir
    Path dir;

    @Test
    void tabCompletesCommandNamesFromQueryCommands() throws Exception {
        PseudoTerminal.assumeAvailable();
        Path sock = dir.resolve("qmp.sock");
        try (FakeQmpServer server = FakeQmpServer.unix(sock, FakeQmpServer.GREETING_OOB)) {
            List<String> java = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    QmpShell.class.getName(),
                    sock.toString());
            try (PseudoTerminal terminal = PseudoTerminal.start(java, Map.of())) {
                FakeQmpServer.Received commands = awaitCommand(server);
                assertThat(commands.json().path("execute").asText()).isEqualTo("query-commands");
                server.send("{\"return\": [{\"name\": \"query-status\"}, {\"name\": \"query-version\"}, "
                        + "{\"name\": \"quit\"}], \"id\": " + commands.id() + "}");
                terminal.awaitScreen("(QEMU) ");

                terminal.type("query-ver\t\r");
                FakeQmpServer.Received typed = awaitCommand(server);
                assertThat(typed.json().path("execute").asText())
                        .as("Tab completed 'query-ver'; the terminal showed:%n%s", terminal.screen())
                        .isEqualTo("query-version");
                server.send("{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"\"}"
                        + (typed.json().has("id") ? ", \"id\": " + typed.id() : "") + "}");
                terminal.awaitScreen("\"major\": 7");
                // Ctrl-D only once the next prompt is drawn: JLine is then reading in raw mode
                // (in between, the terminal is back in cooked mode and would swallow it).
                terminal.awaitScreenAfter("\"major\": 7", "(QEMU) ");

                terminal.type("\u0004"); // Ctrl-D ends the shell
                Process p = terminal.process();
                assertThat(p.waitFor(20, TimeUnit.SECONDS))
                        .as("the shell ends on Ctrl-D:%n%s", terminal.screen())
                        .isTrue();
                assertThat(p.exitValue()).isZero();
            }
        }
    }

    /** The next command, allowing for a JVM that is slow to start on a loaded machine. */
    private static FakeQmpServer.Received awaitCommand(FakeQmpServer server) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND_NANOS;
        while (true) {
            try {
                return server.nextCommand();
            } catch (AssertionError e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
        }
    }
}
