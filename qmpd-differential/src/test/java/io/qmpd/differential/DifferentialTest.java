package io.qmpd.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.ServerProcess;
import io.qmpd.testing.ServerProcess.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Differential run: real QEMU and qmpd get the same byte streams, session by session, and their
 * normalized transcripts must be equal. Deliberate differences (docs/compat.md, "Differential
 * testing") are asserted in their own tests. Skipped, with a message, when QEMU is not installed.
 * {@code -Dqmpd.differential.sessions=N} and {@code -Dqmpd.differential.seed=S} change the run.
 * {@link BrokerDifferentialTest} runs the same against qmpd as a broker in front of a QEMU.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DifferentialTest {

    /** Commands qmpd has and QEMU 7.2 has not (the seed's dynamic-monitor commands). */
    static final Set<String> QMPD_ONLY = Set.of("monitor-add", "monitor-remove", "query-monitors");

    private DifferentialServer qemu;
    private DifferentialServer qmpd;
    private Set<String> qemuCommands;
    private Set<String> qmpdCommands;
    private long sessions;
    private long bytesSent;
    private long bytesCompared;

    /** The qmpd compared with QEMU: standalone, or a broker in front of a QEMU of its own. */
    Kind kind() {
        return Kind.QMPD;
    }

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(
                ServerProcess.qemuAvailable(),
                "differential tests skipped: " + ServerProcess.QEMU_BINARY + " is not on the PATH");
        Path base = Files.createTempDirectory(
                Path.of("target").toAbsolutePath().toFile().exists()
                        ? Path.of("target").toAbsolutePath()
                        : Path.of(System.getProperty("java.io.tmpdir")),
                "diff");
        qemu = DifferentialServer.start(Kind.QEMU, base.resolve("qemu"));
        qmpd = DifferentialServer.start(kind(), base.resolve(kind().name().toLowerCase(Locale.ROOT)));
        qemuCommands = commands(qemu);
        qmpdCommands = commands(qmpd);
    }

    @AfterAll
    void stop() {
        if (qemu != null) {
            System.out.printf(
                    "differential (%s): %d sessions compared, %d bytes sent to each server, %d transcript bytes"
                            + " compared%n",
                    kind().name().toLowerCase(Locale.ROOT), sessions, bytesSent, bytesCompared);
            qemu.close();
        }
        if (qmpd != null) {
            qmpd.close();
        }
    }

    @Test
    void generatedStreamsGetTheSameTranscripts() throws IOException {
        long seed = Long.getLong("qmpd.differential.seed", 20261125L);
        int count = Integer.getInteger("qmpd.differential.sessions", 300);
        Set<String> shared = new TreeSet<>(qemuCommands);
        shared.retainAll(qmpdCommands);
        StreamGenerator gen = new StreamGenerator(seed, shared);
        assertThat(gen.safeQueries())
                .as("side-effect-free queries both servers have")
                .hasSizeGreaterThan(3);
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < count && diffs.size() < 5; i++) {
            String d = compare(gen.session());
            if (d != null) {
                diffs.add("session " + i + " (seed " + seed + "):\n" + d);
            }
        }
        assertThat(diffs).as("transcript differences").isEmpty();
        assertThat(qemu.isAlive() && qmpd.isAlive()).isTrue();
    }

    @Test
    void handWrittenStreamsGetTheSameTranscripts() throws IOException {
        String[] streams = {
            "{\"execute\": \"query-status\"}\n{\"execute\": \"qmp_capabilities\"}\n{\"execute\": \"qmp_capabilities\"}\n",
            "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"nope\"]}}\n",
            "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}\n",
            "{\"execute\": \"qmp_capabilities\"}{\"execute\": \"query-name\", \"id\": {\"deep\": [1, [2, [3]]]}}",
            "{\"execute\": \"qmp_capabilities\"}\n" + "[".repeat(1024) + "]".repeat(1024) + "\n",
            "{\"execute\": \"qmp_capabilities\"}\n" + "[".repeat(1025) + "]".repeat(1025) + "\n",
            "{\"execute\": \"qmp_capabilities\"}\n\"" + "x".repeat(200_000) + "\"\n",
        };
        for (String s : streams) {
            String full = s + "\u0001\n{\"execute\": \"query-status\", \"id\": " + QmpSession.END_ID + "}\n";
            assertThat(compare(List.of(full.getBytes(StandardCharsets.ISO_8859_1))))
                    .as(s)
                    .isNull();
        }
    }

    @Test
    void chardevObjectAndOddStringEdgeCasesGetTheSameTranscripts() throws IOException, InterruptedException {
        for (DifferentialServer server : List.of(qemu, qmpd)) {
            Files.createDirectories(server.dir.resolve("subdir"));
            Files.writeString(server.dir.resolve("secret.txt"), "hush");
            if (!Files.exists(server.dir.resolve("fifo"))) {
                assertThat(new ProcessBuilder(
                                        "mkfifo", server.dir.resolve("fifo").toString())
                                .start()
                                .waitFor())
                        .isZero();
            }
        }
        List<String> diffs = new ArrayList<>();
        List<EdgeCases.Case> cases = EdgeCases.all();
        System.out.printf("differential: %d chardev, object and odd-string edge cases%n", cases.size());
        for (EdgeCases.Case c : cases) {
            if (!compares(c)) {
                continue;
            }
            String stream = "{\"execute\": \"qmp_capabilities\"}\n" + c.request() + "\n"
                    + (c.listChardevs() ? "{\"execute\": \"query-chardev\"}\n" : "")
                    + (c.undo() != null ? c.undo() + "\n" : "")
                    + "{\"execute\": \"query-status\", \"id\": " + QmpSession.END_ID + "}\n";
            String d = compareIn(stream);
            if (d != null) {
                diffs.add(d);
            }
        }
        assertThat(diffs).as("transcript differences").isEmpty();
        assertThat(qemu.isAlive() && qmpd.isAlive()).isTrue();
    }

    /** Whether the edge case is compared: every one, but for a documented difference of the server. */
    boolean compares(EdgeCases.Case c) {
        return true;
    }

    /** docs/compat.md: the seed's commands exist only in qmpd; QEMU does not know them. */
    @Test
    void seedCommandsAreQmpdOnly() throws IOException {
        assertThat(qmpdCommands).containsAll(QMPD_ONLY);
        Set<String> extra = new TreeSet<>(qmpdCommands);
        extra.removeAll(qemuCommands);
        assertThat(extra).as("qmpd commands QEMU 7.2 lacks").isEqualTo(new TreeSet<>(QMPD_ONLY));
        String stream = "{\"execute\": \"qmp_capabilities\"}\n{\"execute\": \"query-monitors\", \"id\": 1}\n"
                + "{\"execute\": \"query-status\", \"id\": " + QmpSession.END_ID + "}\n";
        String q = Transcripts.normalize(QmpSession.run(qemu.socket, List.of(bytes(stream))), qemu.dir);
        String d = Transcripts.normalize(QmpSession.run(qmpd.socket, List.of(bytes(stream))), qmpd.dir);
        assertThat(lines(q).get(2))
                .isEqualTo("{\"id\": 1, \"error\": {\"class\": \"CommandNotFound\", \"desc\": "
                        + "\"The command query-monitors has not been found\"}}");
        assertThat(lines(d).get(2)).startsWith("{\"return\": [{");
        sessions += 2;
    }

    /** docs/compat.md: qmpd serves a subset of QEMU's commands; the rest are CommandNotFound in qmpd. */
    @Test
    void commandsQmpdLacksAreNotFoundInQmpdOnly() throws IOException {
        Assumptions.assumeTrue(kind() == Kind.QMPD, "a broker serves every command of its QEMU");
        Set<String> missing = new TreeSet<>(qemuCommands);
        missing.removeAll(qmpdCommands);
        assertThat(missing).as("QEMU commands qmpd does not serve").isNotEmpty();
        String cmd = missing.contains("query-cpu-definitions")
                ? "query-cpu-definitions"
                : missing.iterator().next();
        String stream = "{\"execute\": \"qmp_capabilities\"}\n{\"execute\": \"" + cmd + "\", \"id\": 1}\n"
                + "{\"execute\": \"query-status\", \"id\": " + QmpSession.END_ID + "}\n";
        String d = Transcripts.normalize(QmpSession.run(qmpd.socket, List.of(bytes(stream))), qmpd.dir);
        assertThat(lines(d).get(2))
                .isEqualTo("{\"id\": 1, \"error\": {\"class\": \"CommandNotFound\", \"desc\": " + "\"The command " + cmd
                        + " has not been found\"}}");
        System.out.printf(
                "differential: %d commands shared, %d QEMU-only (e.g. %s), %d qmpd-only%n",
                qemuCommands.size() - missing.size(), missing.size(), cmd, QMPD_ONLY.size());
        sessions++;
    }

    /** docs/compat.md, Broker: every command of QEMU is there through the broker. */
    @Test
    void throughTheBrokerEveryCommandOfQemuIsThere() {
        Assumptions.assumeTrue(kind() == Kind.BROKER, "standalone qmpd serves a subset");
        assertThat(qmpdCommands).containsAll(qemuCommands);
    }

    /** Runs one stream on both servers; null when the normalized transcripts are equal, else both. */
    private String compare(List<byte[]> chunks) throws IOException {
        return compare(chunks, chunks);
    }

    /** {@link #compare(List)} of a stream naming paths in each server's own directory ({@code DIR}). */
    private String compareIn(String stream) throws IOException {
        return compare(
                List.of(bytes(stream.replace("DIR", qemu.dir.toString()))),
                List.of(bytes(stream.replace("DIR", qmpd.dir.toString()))));
    }

    private String compare(List<byte[]> toQemu, List<byte[]> toQmpd) throws IOException {
        List<byte[]> chunks = toQemu;
        byte[] q = QmpSession.run(qemu.socket, toQemu);
        byte[] d = QmpSession.run(qmpd.socket, toQmpd);
        sessions++;
        for (byte[] c : chunks) {
            bytesSent += c.length;
        }
        bytesCompared += q.length + d.length;
        String nq = Transcripts.normalize(q, qemu.dir);
        String nd = Transcripts.normalize(d, qmpd.dir);
        if (nq.equals(nd)) {
            return null;
        }
        StringBuilder sent = new StringBuilder();
        chunks.forEach(c -> sent.append(new String(c, StandardCharsets.ISO_8859_1)));
        return "sent:  " + escape(sent.toString()) + "\nqemu:  " + escape(nq) + "\nqmpd:  " + escape(nd);
    }

    private Set<String> commands(DifferentialServer server) throws IOException {
        String stream = "{\"execute\": \"qmp_capabilities\"}\n{\"execute\": \"query-commands\"}\n"
                + "{\"execute\": \"query-status\", \"id\": " + QmpSession.END_ID + "}\n";
        String t = new String(QmpSession.run(server.socket, List.of(bytes(stream))), StandardCharsets.ISO_8859_1);
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\"name\": \"([^\"]+)\"").matcher(lines(t).get(2));
        while (m.find()) {
            names.add(m.group(1));
        }
        sessions++;
        return names;
    }

    private static List<String> lines(String transcript) {
        return List.of(transcript.split("\r\n"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return b.length() > 4000 ? b.substring(0, 4000) + "..." : b.toString();
    }
}
