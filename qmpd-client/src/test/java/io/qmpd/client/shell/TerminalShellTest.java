package io.qmpd.client.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qmpd.client.FakeQmpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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

    private final StringBuffer screen = new StringBuffer();

    @Test
    void tabCompletesCommandNamesFromQueryCommands() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script is not installed");
        Path sock = dir.resolve("qmp.sock");
        try (FakeQmpServer server = FakeQmpServer.unix(sock, FakeQmpServer.GREETING_OOB)) {
            List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), QmpShell.class.getName(), sock.toString());
            String command = java.stream().map(TerminalShellTest::shellQuote).collect(Collectors.joining(" "));
            Process p = new ProcessBuilder("/usr/bin/script", "-qfec", command, "/dev/null")
                    .redirectErrorStream(true).start();
            try {
                Thread reader = new Thread(() -> copy(p.getInputStream()), "terminal-reader");
                reader.setDaemon(true);
                reader.start();

                FakeQmpServer.Received commands = awaitCommand(server);
                assertThat(commands.json().path("execute").asText()).isEqualTo("query-commands");
                server.send("{\"return\": [{\"name\": \"query-status\"}, {\"name\": \"query-version\"}, "
                        + "{\"name\": \"quit\"}], \"id\": " + commands.id() + "}");
                awaitScreen("(QEMU) ");

                OutputStream keyboard = p.getOutputStream();
                keyboard.write("query-ver\t\r".getBytes(StandardCharsets.US_ASCII));
                keyboard.flush();
                FakeQmpServer.Received typed = awaitCommand(server);
                assertThat(typed.json().path("execute").asText())
                        .as("Tab completed 'query-ver'; the terminal showed:%n%s", screen)
                        .isEqualTo("query-version");
                server.send("{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"\"}"
                        + (typed.json().has("id") ? ", \"id\": " + typed.id() : "") + "}");
                awaitScreen("\"major\": 7");
                // Ctrl-D only once the next prompt is drawn: JLine is then reading in raw mode
                // (in between, the terminal is back in cooked mode and would swallow it).
                awaitScreenAfter("\"major\": 7", "(QEMU) ");

                keyboard.write(4); // Ctrl-D ends the shell
                keyboard.flush();
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("the shell ends on Ctrl-D:%n%s", screen).isTrue();
                assertThat(p.exitValue()).isZero();
            } finally {
                p.destroyForcibly();
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

    private void awaitScreen(String text) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND_NANOS;
        while (screen.indexOf(text) < 0) {
            assertThat(System.nanoTime() - deadline)
                    .as("waited for '%s'; the terminal showed:%n%s", text, screen).isNegative();
            TimeUnit.MILLISECONDS.sleep(10); // polling a screen another process draws
        }
    }

    /** Waits (bounded) until {@code text} appears after the first {@code anchor} on the screen. */
    private void awaitScreenAfter(String anchor, String text) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND_NANOS;
        while (screen.indexOf(text, screen.indexOf(anchor)) < 0) {
            assertThat(System.nanoTime() - deadline)
                    .as("waited for '%s' after '%s'; the terminal showed:%n%s", text, anchor, screen).isNegative();
            TimeUnit.MILLISECONDS.sleep(10); // polling a screen another process draws
        }
    }

    private void copy(InputStream in) {
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                screen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            screen.append("\n[terminal read failed: ").append(e.getMessage()).append(']');
        }
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
