package io.qmpd.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.qmpd.testing.ServerProcess;
import io.qmpd.testing.ServerProcess.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Replays every recorded QEMU 7.2 session, in file order, against ONE freshly started server and
 * compares the bytes. {@code -Dqmpd.conformance.server=qemu} runs the same replay against real
 * {@code qemu-system-x86_64} (the proof that the replayer is right); the default is qmpd.
 * Cases the server cannot pass yet are listed in {@code pending.tsv} and reported as skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceTest {

    /** The corpus README fixes DIR: recorded commands and replies name paths under it. */
    private static final Path DIR = Path.of("/tmp/qg");

    private static final Duration START_BOUND = Duration.ofSeconds(30);
    private static final Duration QUIET_WINDOW = Duration.ofMillis(300);
    private static final String LAST_CASE = "132-quit_command";

    private final boolean slow = Boolean.getBoolean("qmpd.conformance.slow");
    /** Replays pending cases too (to find the ones a new feature made pass); they still count as pending. */
    private final boolean runPending = Boolean.getBoolean("qmpd.conformance.runPending");

    private final List<String> pendingButPassing = new ArrayList<>();
    private final Duration bound = Duration.ofSeconds(Long.getLong("qmpd.conformance.timeout", 10));
    private final PendingCases pending = PendingCases.load();
    /** qmpd's documented output where it deliberately differs (docs/compat.md); used when the server is qmpd. */
    private final ExpectedOverrides overrides = ExpectedOverrides.load();
    /** {@code -Dqmpd.conformance.record=088,101}: write drafts of overrides for these cases to target/qmpd-expected. */
    private final List<String> record = List.of(
                    System.getProperty("qmpd.conformance.record", "").split(","))
            .stream()
            .filter(s -> !s.isBlank())
            .toList();

    private int overridden;
    /** Results in run order, for the summary. Test thread only. */
    private final Map<String, String> failures = new LinkedHashMap<>();

    private int passed;
    private int skipped;
    private ServerProcess server;

    /** The server replayed against: {@code -Dqmpd.conformance.server}, qmpd by default. */
    Kind kind() {
        return Kind.valueOf(
                System.getProperty("qmpd.conformance.server", "qmpd").toUpperCase(Locale.ROOT));
    }

    @TestFactory
    Stream<DynamicTest> recordedSessions() {
        List<ConformanceCase> cases = CaseFile.readAll(corpus());
        List<String> names = cases.stream().map(ConformanceCase::name).toList();
        assertThat(names).as("cases named in pending.tsv").containsAll(pending.caseNames());
        assertThat(names.get(names.size() - 1))
                .as("quit ends the server, so it runs last")
                .isEqualTo(LAST_CASE);
        return cases.stream().map(c -> dynamicTest(c.name(), () -> run(c)));
    }

    private void run(ConformanceCase c) throws Exception {
        if (record.stream().anyMatch(r -> c.name().startsWith(r))) {
            recordDraft(c);
            return;
        }
        var entry = pending.find(c.name(), kind()).filter(e -> !(slow && kind() == Kind.QEMU && "-".equals(e.issue())));
        if (entry.isPresent()) {
            skipped++;
            if (runPending) {
                List<String> problems = replay(c);
                if (problems.isEmpty()) {
                    pendingButPassing.add(c.name());
                } else {
                    System.out.println("conformance: pending " + c.name() + " still fails\n"
                            + String.join("\n", problems).indent(4));
                }
            }
            Assumptions.abort(entry.get().describe());
        }
        try {
            List<String> problems = replay(c);
            if (problems.isEmpty()) {
                passed++;
                return;
            }
            String report = String.join("\n", problems);
            failures.put(c.name(), report);
            System.out.println("conformance: FAILED " + c.name() + "\n" + report.indent(4));
            Assertions.fail(c.name() + " (" + c.notes() + ")\n" + report);
        } catch (IOException | RuntimeException e) {
            failures.putIfAbsent(c.name(), e.toString());
            throw e;
        }
    }

    private void recordDraft(ConformanceCase c) throws IOException {
        startServer();
        ConformanceCase recorded = new SessionRecorder(DIR, bound, QUIET_WINDOW).record(c);
        Path out = Path.of("target", "qmpd-expected", c.name() + ".jsonl");
        Files.createDirectories(out.getParent());
        Files.writeString(out, ExpectedOverrides.draft(recorded), StandardCharsets.UTF_8);
        skipped++;
        Assumptions.abort(
                "recorded a draft override: " + out.toAbsolutePath() + " (review it against QEMU's recording)");
    }

    private void startServer() throws IOException {
        if (server == null) {
            server = ServerUnderTest.start(
                    kind(),
                    DIR,
                    Path.of("target", "conformance-" + kind().name().toLowerCase(Locale.ROOT) + ".log"),
                    START_BOUND);
        }
    }

    /** Replays QEMU's recording, or for qmpd its documented output where qmpd differs on purpose. */
    private List<String> replay(ConformanceCase recordedByQemu) throws IOException, InterruptedException {
        ConformanceCase c = recordedByQemu;
        if (kind() != Kind.QEMU) {
            var override = overrides.find(c.name(), kind().name().toLowerCase(Locale.ROOT));
            if (override.isPresent()) {
                c = override.get().expected();
                overridden++;
            }
        }
        startServer();
        if (!server.isAlive()) {
            return List.of(kind() + " is not running any more (exit status " + server.awaitExit(Duration.ZERO) + ")\n"
                    + server.logTail());
        }
        List<String> problems = new ArrayList<>(new SessionReplayer(DIR, bound, QUIET_WINDOW).replay(c));
        if (c.name().equals(LAST_CASE)) {
            int status = server.awaitExit(Duration.ofSeconds(10));
            if (status != 0) {
                problems.add("after quit: " + kind()
                        + (status < 0 ? " still running after 10 s" : " exited with status " + status));
            }
        }
        return problems;
    }

    @AfterAll
    void summary() {
        if (server != null) {
            server.close();
        }
        StringBuilder out = new StringBuilder();
        if (overridden > 0) {
            out.append(String.format(
                    "conformance (%s): %d case(s) replayed against qmpd's documented output "
                            + "(qmpd-expected/, explained in docs/compat.md)%n",
                    kind().name().toLowerCase(Locale.ROOT), overridden));
        }
        out.append(String.format(
                "conformance (%s): %d passed, %d failed, %d pending%n",
                kind().name().toLowerCase(Locale.ROOT), passed, failures.size(), skipped));
        failures.forEach((name, report) ->
                out.append("FAILED ").append(name).append('\n').append(report.indent(4)));
        if (!pendingButPassing.isEmpty()) {
            out.append("pending but passing (remove from pending.tsv): ")
                    .append(pendingButPassing)
                    .append('\n');
        }
        System.out.print(out);
    }

    /** {@code -Dqmpd.conformance.corpus=DIR}, else {@code ../shared/conformance/cases} next to the repository. */
    private static Path corpus() {
        String configured = System.getProperty("qmpd.conformance.corpus");
        Path dir = configured != null
                ? Path.of(configured)
                : Path.of("")
                        .toAbsolutePath()
                        .getParent()
                        .resolveSibling("shared")
                        .resolve("conformance")
                        .resolve("cases");
        assertThat(dir).as("conformance corpus (set -Dqmpd.conformance.corpus)").isDirectory();
        return dir;
    }
}
