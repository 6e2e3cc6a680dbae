package io.qmpd.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmpd.conformance.ConformanceCase.Direction;
import io.qmpd.conformance.ConformanceCase.Exchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Reads the {@code cases/NNN-name.jsonl} files of the recorded corpus. */
final class CaseFile {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CaseFile() {}

    /** Every case under {@code dir}, in file-name order (which is the recording order). */
    static List<ConformanceCase> readAll(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .sorted()
                    .map(CaseFile::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    static ConformanceCase read(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String fileName = file.getFileName().toString();
        // a server's own expectation of a case (NNN-name.broker.jsonl) is that case's
        String name =
                fileName.substring(0, fileName.length() - ".jsonl".length()).replaceFirst("\\.broker$", "");
        List<String> sockets = new ArrayList<>();
        root.path("sockets").forEach(s -> sockets.add(s.asText()));
        List<Exchange> exchanges = new ArrayList<>();
        String notes = root.path("notes").asText("");
        for (JsonNode e : root.path("exchanges")) {
            Direction dir = Direction.valueOf(e.path("dir").asText().toUpperCase(Locale.ROOT));
            byte[] bytes = bytesOf(e, dir, notes);
            exchanges.add(new Exchange(
                    e.path("conn").asInt(), dir, bytes, e.path("note").asText(null)));
        }
        return new ConformanceCase(name, root.path("case").asText(name), notes, sockets, exchanges);
    }

    private static byte[] bytesOf(JsonNode e, Direction dir, String notes) {
        if (e.hasNonNull("hex")) {
            return HexFormat.of().parseHex(e.get("hex").asText());
        }
        String data = e.path("data").asText("");
        if (dir == Direction.SEND) {
            return DescribedPayload.rebuild(data).getBytes(StandardCharsets.UTF_8);
        }
        return data.getBytes(StandardCharsets.UTF_8);
    }
}
