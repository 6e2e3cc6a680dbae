package io.qmpd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * {@code bin/qmpd} with no options on a terminal, as a person meets it: a pseudo-terminal from
 * util-linux {@code script} stands between this test and the daemon, and the test types into it.
 */
class TerminalFirstRunTest {

    @TempDir
    Path dir;

    /** What the daemon printed to the terminal so far; filled by a reader thread. */
    private final StringBuffer screen = new StringBuffer();

    @Test
    void aTerminalGetsAnHmpMonitorWhereInfoMonitorsAndQuitWork() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script is not installed");
        Path runtime = Files.createDirectory(dir.resolve("run"));
        String command = DaemonProcess.command(List.of()).stream()
                .map(TerminalFirstRunTest::shellQuote).collect(Collectors.joining(" "));
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/script", "-qfec", command, "/dev/null")
                .redirectErrorStream(true);
        pb.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        Process p = pb.start();
        try {
            Thread reader = new Thread(() -> copy(p.getInputStream()), "terminal-reader");
            reader.setDaemon(true);
            reader.start();
            OutputStream keyboard = p.getOutputStream();

            awaitScreen("(qemu) ", 1);
            assertThat(screen.toString())
                    .contains("qmpd: QMP monitor on " + runtime.resolve("qmpd"))
                    .contains("socat - UNIX-CONNECT:")
                    .contains("QEMU 11.0.0 monitor - type 'help' for more information");

            type(keyboard, "info monitors\r");
            awaitScreen("(qemu) ", 2);
            assertThat(screen.toString())
                    .contains("qmp: mode=control, chardev=qmp, dynamic=off")
                    .contains("hmp: mode=readline, chardev=hmp, dynamic=off");

            type(keyboard, "quit\r");
            assertThat(p.waitFor(DaemonProcess.BOUND.toMillis(), TimeUnit.MILLISECONDS))
                    .as("qmpd ends after quit; the terminal showed:%n%s", screen).isTrue();
            assertThat(p.exitValue()).isZero();
            try (var left = Files.list(runtime.resolve("qmpd"))) {
                assertThat(left).as("the QMP socket is unlinked on quit").isEmpty();
            }
        } finally {
            p.destroyForcibly();
        }
    }

    private static void type(OutputStream keyboard, String keys) throws IOException {
        keyboard.write(keys.getBytes(StandardCharsets.US_ASCII));
        keyboard.flush();
    }

    /** Waits (bounded) until {@code text} has appeared {@code times} times on the screen. */
    private void awaitScreen(String text, int times) throws InterruptedException {
        long deadline = System.nanoTime() + DaemonProcess.BOUND.toNanos();
        while (occurrences(screen.toString(), text) < times) {
            assertThat(System.nanoTime() - deadline)
                    .as("waited for %s x '%s'; the terminal showed:%n%s", times, text, screen).isNegative();
            TimeUnit.MILLISECONDS.sleep(10); // polling a screen another process draws
        }
    }

    private static int occurrences(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
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
