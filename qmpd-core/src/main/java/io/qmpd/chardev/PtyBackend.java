package io.qmpd.chardev;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** {@code pty}: a new pseudo-terminal; {@code chardev-add} returns its slave's path. */
final class PtyBackend implements ChardevBackend {

    @Override
    public String name() {
        return "pty";
    }

    @Override
    public Chardev create(String id, JsonNode data, ChardevContext context) throws IOException {
        return new PtyChardev(id, context.loop(), Pty.open());
    }
}
