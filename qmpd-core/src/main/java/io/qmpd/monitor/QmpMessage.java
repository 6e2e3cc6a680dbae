package io.qmpd.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmpd.json.QmpJsonWriter;
import java.util.Objects;

/**
 * One server message serialized at most once per format, so a broadcast to many monitors does not
 * print the same event again for each. Thread-safe (benign races: both threads compute the same bytes).
 */
public final class QmpMessage {

    private final JsonNode value;
    private volatile byte[] compact;
    private volatile byte[] pretty;

    public QmpMessage(JsonNode value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public JsonNode value() {
        return value;
    }

    /** The message as QEMU prints it, CRLF included. */
    public byte[] bytes(boolean prettyForm) {
        if (prettyForm) {
            byte[] b = pretty;
            if (b == null) {
                b = QmpJsonWriter.message(value, true);
                pretty = b;
            }
            return b;
        }
        byte[] b = compact;
        if (b == null) {
            b = QmpJsonWriter.message(value, false);
            compact = b;
        }
        return b;
    }
}
