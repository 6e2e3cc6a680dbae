package io.qmpd.chardev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.qapi.QmpException;
import io.qmpd.qapi.opts.QemuOpts;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;

/** {@code stdio}: the process's standard input and output, for one chardev at a time. */
final class StdioBackend implements ChardevBackend {

    @Override
    public String name() {
        return "stdio";
    }

    @Override
    public void parseOptions(QemuOpts opts, ObjectNode data) {
        if (opts.has("signal")) {
            data.put("signal", opts.bool("signal", true));
        }
    }

    @Override
    public Chardev create(String id, JsonNode data, ChardevContext context) {
        if (context.existing().stream().anyMatch(c -> c.backendKind().equals(name()))) {
            throw QmpException.generic("cannot use stdio by multiple character devices");
        }
        return new StreamChardev(
                id,
                context.loop(),
                name(),
                new FileOutputStream(FileDescriptor.out),
                new FileInputStream(FileDescriptor.in),
                false);
    }
}
