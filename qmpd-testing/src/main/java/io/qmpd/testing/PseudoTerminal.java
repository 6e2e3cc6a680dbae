package io.qmpd.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A command on a real pseudo-terminal, with util-linux {@code script} in between: the test types
 * into it as a person would and reads the screen a reader thread fills.
 *
 * <p>Used by qmpd-client's {@code bin/qmp-shell} test and qmpd-daemon's {@code bin/qmpd} test.
 */
public final class PseudoTerminal implements AutoCloseable {

    private static final Path SCRIPT = Path.of("/usr/bin/script");
    /** How long to wait for the screen, allowing for a JVM that is slow to start on a loaded machine. */
    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final Process process;
    private final OutputStream keyboard;
    /** What the command printed to the terminal so far; filled by the reader thread. */
    private final StringBuffer screen = new StringBuffer();

    private PseudoTerminal(Process process) {
        this.process = process;
        this.keyboard = process.getOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream()), "terminal-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Skips the test where util-linux {@code script} is not installed. */
    public static void assumeAvailable() {
        assumeTrue(Files.isExecutable(SCRIPT), "util-linux script is not installed");
    }

    /** Starts {@code command} on a new pseudo-terminal, with {@code env} added to its environment. */
    public static PseudoTerminal start(List<String> command, Map<String, String> env) throws IOException {
        String line = command.stream().map(PseudoTerminal::shellQuote).collect(Collectors.joining(" "));
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "-qfec", line, "/dev/null").redirectErrorStream(true);
        pb.environment().putAll(env);
        return new PseudoTerminal(pb.start());
    }

    public Process process() {
        return process;
    }

    /** What the terminal showed so far. */
    public String screen() {
        return screen.toString();
    }

    /** Types {@code keys} (ASCII, control characters included). */
    public void type(String keys) throws IOException {
        keyboard.write(keys.getBytes(StandardCharsets.US_ASCII));
        keyboard.flush();
    }

    /** Waits (bounded) until {@code text} is on the screen. */
    public void awaitScreen(String text) throws InterruptedException {
        awaitScreen(text, 1);
    }

    /** Waits (bounded) until {@code text} has appeared {@code times} times on the screen. */
    public void awaitScreen(String text, int times) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND_NANOS;
        while (occurrences(screen.toString(), text) < times) {
            assertThat(System.nanoTime() - deadline)
                    .as("waited for %s x '%s'; the terminal showed:%n%s", times, text, screen)
                    .isNegative();
            TimeUnit.MILLISECONDS.sleep(10); // polling a screen another process draws
        }
    }

    /** Waits (bounded) until {@code text} appears after the first {@code anchor} on the screen. */
    public void awaitScreenAfter(String anchor, String text) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND_NANOS;
        while (screen.indexOf(text, screen.indexOf(anchor)) < 0) {
            assertThat(System.nanoTime() - deadline)
                    .as("waited for '%s' after '%s'; the terminal showed:%n%s", text, anchor, screen)
                    .isNegative();
            TimeUnit.MILLISECONDS.sleep(10); // polling a screen another process draws
        }
    }

    /** Ends the command if it still runs. */
    @Override
    public void close() {
        process.destroyForcibly();
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
