package io.qmpd.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.conformance.ConformanceCase.Direction;
import io.qmpd.conformance.ConformanceCase.Exchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * qmpd's own documented output for the cases where it deliberately differs from QEMU 7.2
 * ({@code qmpd-expected/<case>.jsonl}, the corpus format plus {@code compat}: the heading of the
 * {@code docs/compat.md} section that explains the difference). When the server under test is
 * qmpd, the override is replayed instead of QEMU's recording: same sends, qmpd's receives.
 */
final class ExpectedOverrides {

    /**
     * One override: the case to replay, the compat.md section that explains it, and the servers it
     * holds for: {@code qmpd} and {@code broker} by default, one of them when the file says so
     * ({@code "servers": ["qmpd"]}: the broker shows QEMU's own bytes there). A file named
     * {@code <case>.broker.jsonl} is the broker's output where it differs from qmpd's.
     */
    record Override(ConformanceCase expected, String compatSection, Path file, Set<String> servers) {}

    private static final Set<String> BOTH = Set.of("qmpd", "broker");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, Override> byCase;

    private ExpectedOverrides(Map<String, Override> byCase) {
        this.byCase = Map.copyOf(byCase);
    }

    static ExpectedOverrides load() {
        Map<String, Override> out = new LinkedHashMap<>();
        Path dir = directory();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all =
                    files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
            List<Path> serversOwnFirst = new ArrayList<>(all.stream()
                    .filter(p -> p.toString().endsWith(".broker.jsonl"))
                    .toList());
            all.stream().filter(p -> !serversOwnFirst.contains(p)).forEach(serversOwnFirst::add);
            for (Path f : serversOwnFirst) {
                ConformanceCase c = CaseFile.read(f);
                JsonNode root = MAPPER.readTree(f.toFile());
                String section = root.path("compat").asText("");
                if (section.isBlank()) {
                    throw new IllegalStateException(f + ": no \"compat\" section named");
                }
                Set<String> servers = new TreeSet<>();
                root.path("servers").forEach(server -> servers.add(server.asText()));
                if (f.getFileName().toString().endsWith(".broker.jsonl")) {
                    servers.add("broker");
                }
                boolean byDefault = servers.isEmpty();
                if (byDefault) {
                    servers.addAll(BOTH);
                    // a server's own file (NNN-name.broker.jsonl, read first) takes its place
                    servers.removeIf(server -> out.containsKey(c.name() + "/" + server));
                }
                if (!BOTH.containsAll(servers)) {
                    throw new IllegalStateException(f + ": servers " + servers + " (expected: qmpd, broker)");
                }
                for (String server : servers) {
                    if (out.put(c.name() + "/" + server, new Override(c, section, f, Set.copyOf(servers))) != null) {
                        throw new IllegalStateException(f + ": a second override of " + c.name() + " for " + server);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return new ExpectedOverrides(out);
    }

    /** The override of {@code caseName} for {@code server} ({@code qmpd} or {@code broker}), if any. */
    Optional<Override> find(String caseName, String server) {
        return Optional.ofNullable(byCase.get(caseName + "/" + server));
    }

    /** Every override, once each. */
    Collection<Override> all() {
        return new LinkedHashSet<>(byCase.values());
    }

    /** The overrides' directory among the test resources (a directory on disk under Surefire). */
    static Path directory() {
        URL url = ExpectedOverrides.class.getResource("qmpd-expected");
        if (url == null) {
            throw new IllegalStateException("state: qmpd-expected missing from the test resources");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A draft override in the corpus format, one line, for {@code SessionRecorder}'s output. */
    static String draft(ConformanceCase c) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("case", c.caseName());
        root.put("compat", "TODO: the docs/compat.md section");
        root.put("notes", c.notes());
        ArrayNode sockets = root.putArray("sockets");
        c.sockets().forEach(sockets::add);
        ArrayNode exchanges = root.putArray("exchanges");
        ArrayNode send = root.putArray("send");
        ArrayNode recv = root.putArray("recv");
        for (Exchange e : c.exchanges()) {
            ObjectNode x = exchanges.addObject();
            x.put("conn", e.conn());
            x.put("dir", e.dir().name().toLowerCase(Locale.ROOT));
            if (e.dir() != Direction.INFO) {
                Optional<String> text = utf8(e.bytes());
                x.put("data", text.orElse(new String(e.bytes(), StandardCharsets.ISO_8859_1)));
                if (text.isEmpty()) {
                    x.put("hex", HexFormat.of().formatHex(e.bytes()));
                }
                (e.dir() == Direction.SEND ? send : recv).add(x.get("data").asText());
            }
            if (!e.note().isEmpty()) {
                x.put("note", e.note());
            }
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    static JsonNode tree(Path file) throws IOException {
        return MAPPER.readTree(file.toFile());
    }
}
