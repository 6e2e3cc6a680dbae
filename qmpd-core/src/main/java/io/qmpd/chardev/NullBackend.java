package io.qmpd.chardev;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code null}: discards output, never has input. */
final class NullBackend implements ChardevBackend {

    @Override
    public String name() {
        return "null";
    }

    @Override
    public boolean createsAtOnce(JsonNode data) {
        return true;
    }

    @Override
    public Chardev create(String id, JsonNode data, ChardevContext context) {
        return new NullChardev(id, context.loop());
    }
}
