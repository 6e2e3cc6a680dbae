package io.qmpd.chardev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.qapi.opts.QemuOpts;

/** {@code ringbuf} and its older name {@code memory}: a ring in memory that QMP reads and writes. */
final class RingbufBackend implements ChardevBackend {

    private final String name;

    /** @param name {@code ringbuf} or {@code memory}: also the filename QEMU shows */
    RingbufBackend(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void parseOptions(QemuOpts opts, ObjectNode data) {
        opts.get("size").ifPresent(s -> data.put("size", ChardevOpts.size(s)));
    }

    @Override
    public boolean createsAtOnce(JsonNode data) {
        return true;
    }

    @Override
    public Chardev create(String id, JsonNode data, ChardevContext context) {
        long size = data.has("size") ? data.get("size").asLong() : RingbufChardev.DEFAULT_SIZE;
        return new RingbufChardev(id, context.loop(), name, size, context.ringbufMemory());
    }
}
