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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * qmpd's own documented output for the cases where it deliberately differs from QEMU 7.2
 * ({@code qmpd-expected/<case>.jsonl}, the corpus format plus {@code compat}: the heading of the
 * {@code docs/compat.md} section that explains the difference). When the server under test is
 * qmpd, the override is replayed instead of QEMU's recording: same sends, qmpd's receives.
 */
final class ExpectedOverrides {

    /** One override: the case to replay and the compat.md section that explains it. */
    record Override(ConformanceCase expected, String compatSection, Path file) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, Override> byCase;

    private ExpectedOverrides(Map<String, Override> byCase) {
        this.byCase = Map.copyOf(byCase);
    }

    static ExpectedOverrides load() {
        Map<String, Override> out = new LinkedHashMap<>();
        Path dir = directory();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                ConformanceCase c = CaseFile.read(f);
                String section = MAPPER.readTree(f.toFile()).path("compat").asText("");
                if (section.isBlank()) {
                    throw new IllegalStateException(f + ": no \"compat\" section named");
                }
                out.put(c.name(), new Override(c, section, f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return new ExpectedOverrides(out);
    }

    Optional<Override> find(String caseName) {
        return Optional.ofNullable(byCase.get(caseName));
    }

    Map<String, Override> all() {
        return byCase;
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
