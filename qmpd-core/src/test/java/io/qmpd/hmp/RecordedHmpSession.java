package io.qmpd.hmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmpd.json.VersionInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One recorded session of the conformance corpus (HMP's, mostly): what the client sent, write by
 * write, and what QEMU sent back, message by message (bytes as ISO-8859-1 characters). In core's
 * test-jar: qmpd-machine's HMP tests replay the same recordings.
 */
public record RecordedHmpSession(String name, List<byte[]> sends, List<String> received) {

    static final Path CASES = Path.of("/work/shared/conformance/cases");

    /** The corpus case whose file name starts with {@code prefix} (its number, say {@code "121"}). */
    public static RecordedHmpSession load(String prefix) {
        try {
            return read(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RecordedHmpSession read(String prefix) throws IOException {
        Path file;
        try (var files = Files.list(CASES)) {
            file = files.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .findFirst()
                    .orElseThrow();
        }
        JsonNode c = new ObjectMapper().readTree(Files.readString(file));
        List<byte[]> sends = new ArrayList<>();
        List<String> recv = new ArrayList<>();
        for (JsonNode e : c.get("exchanges")) {
            String dir = e.get("dir").asText();
            if (dir.equals("send")) {
                sends.add(
                        e.has("hex")
                                ? HexFormat.of().parseHex(e.get("hex").asText())
                                : e.get("data").asText().getBytes(StandardCharsets.UTF_8));
            } else if (dir.equals("recv")) {
                recv.add(new String(
                        e.get("data").asText().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
            }
        }
        return new RecordedHmpSession(c.get("case").asText(), sends, List.copyOf(recv));
    }

    /** Everything QEMU sent, in one string. */
    public String receivedText() {
        return String.join("", received);
    }

    /** QEMU 7.2.22 as recorded. */
    public static final VersionInfo QEMU_72 = new VersionInfo(7, 2, 22, "Debian 1:7.2+dfsg-7+deb12u18+b3");
}
