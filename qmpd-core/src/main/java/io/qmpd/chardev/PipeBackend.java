package io.qmpd.chardev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.io.HostPath;
import io.qmpd.qapi.opts.QemuOpts;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * {@code pipe}: QEMU opens {@code path.in} and {@code path.out}, or else {@code path} for both,
 * each for reading and writing and never creating it: a FIFO then opens at once, without a peer.
 */
final class PipeBackend implements ChardevBackend {

    @Override
    public String name() {
        return "pipe";
    }

    @Override
    public void parseOptions(QemuOpts opts, ObjectNode data) {
        data.put(
                "device",
                opts.get("path")
                        .orElseThrow(() -> new IllegalArgumentException("chardev: pipe: no device path given")));
    }

    @Override
    public Chardev create(String id, JsonNode data, ChardevContext context) {
        String path = data.path("device").asText();
        FileChannel in = null;
        FileChannel out = null;
        try {
            in = openReadWrite(path + ".in");
            out = openReadWrite(path + ".out");
        } catch (IOException e) {
            ChardevBackends.closeQuietly(in);
            in = null;
        }
        if (in == null) {
            try {
                in = openReadWrite(path);
                out = in;
            } catch (IOException e) {
                throw ChardevBackends.couldNotOpen(path, e);
            }
        }
        return new StreamChardev(
                id, context.loop(), name(), Channels.newOutputStream(out), Channels.newInputStream(in), true);
    }

    private static FileChannel openReadWrite(String path) throws IOException {
        return FileChannel.open(HostPath.of(path), StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
}
