package io.qmpd.chardev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.io.HostPath;
import io.qmpd.qapi.opts.QemuOpts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/** {@code file}: output to a file (created, truncated or appended to), input from another if given. */
final class FileBackend implements ChardevBackend {

    @Override
    public String name() {
        return "file";
    }

    @Override
    public void parseOptions(QemuOpts opts, ObjectNode data) {
        data.put(
                "out",
                opts.get("path").orElseThrow(() -> new IllegalArgumentException("chardev: file: no filename given")));
        opts.get("input-path").ifPresent(v -> data.put("in", v));
        if (opts.has("append")) {
            data.put("append", opts.bool("append", false));
        }
    }

    @Override
    public Chardev create(String id, JsonNode data, ChardevContext context) {
        String outPath = data.path("out").asText();
        boolean append = data.path("append").asBoolean(false);
        InputStream in = null;
        if (data.has("in")) {
            String inPath = data.get("in").asText();
            try {
                in = Files.newInputStream(HostPath.of(inPath));
            } catch (IOException e) {
                throw ChardevBackends.couldNotOpen(inPath, e);
            }
        }
        try {
            OutputStream out = Files.newOutputStream(
                    HostPath.of(outPath),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            return new StreamChardev(id, context.loop(), name(), out, in, true);
        } catch (IOException e) {
            ChardevBackends.closeQuietly(in);
            throw ChardevBackends.couldNotOpen(outPath, e);
        }
    }
}
