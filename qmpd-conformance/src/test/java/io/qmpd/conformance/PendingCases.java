package io.qmpd.conformance;

import io.qmpd.testing.ServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The table of cases a server cannot pass yet ({@code pending.tsv}), with the issue and the reason. */
final class PendingCases {

    record Entry(String caseName, String server, String issue, String reason) {
        String describe() {
            return "pending" + ("-".equals(issue) ? "" : " (issue " + issue + ")") + ": " + reason;
        }
    }

    private final Map<String, Entry> byCase;

    private PendingCases(Map<String, Entry> byCase) {
        this.byCase = Map.copyOf(byCase);
    }

    static PendingCases load() {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (InputStream in = PendingCases.class.getResourceAsStream("pending.tsv")) {
            if (in == null) {
                throw new IllegalStateException("state: pending.tsv missing from the test resources");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 4
                        || !(f[1].equals("qmpd")
                                || f[1].equals("qemu")
                                || f[1].equals("broker")
                                || f[1].equals("all"))) {
                    throw new IllegalStateException("pending.tsv:" + number + ": " + line
                            + " (expected: case<TAB>qmpd|qemu|broker|all<TAB>issue<TAB>reason)");
                }
                String key = f[0] + "/" + f[1];
                if (entries.putIfAbsent(key, new Entry(f[0], f[1], f[2], f[3])) != null) {
                    throw new IllegalStateException("pending.tsv:" + number + ": duplicate " + f[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pending.tsv", e);
        }
        return new PendingCases(entries);
    }

    Optional<Entry> find(String caseName, ServerProcess.Kind kind) {
        Entry e = byCase.get(caseName + "/" + kind.name().toLowerCase(Locale.ROOT));
        return Optional.ofNullable(e != null ? e : byCase.get(caseName + "/all"));
    }

    /** Names of every case the table mentions, to catch typos against the corpus. */
    Set<String> caseNames() {
        Set<String> names = new TreeSet<>();
        byCase.values().forEach(e -> names.add(e.caseName()));
        return names;
    }
}
