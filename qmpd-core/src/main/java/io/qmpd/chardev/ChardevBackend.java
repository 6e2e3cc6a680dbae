package io.qmpd.chardev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.qapi.QmpException;
import io.qmpd.qapi.opts.QemuOpts;
import java.io.IOException;

/**
 * One kind of chardev ({@code socket}, {@code ringbuf}, {@code pty}, ...): how {@code -chardev}
 * options describe it, and how {@code chardev-add}'s validated {@code data} opens it. Stateless:
 * what a server's chardevs share comes in the {@link ChardevContext}. A new backend is one class
 * plus one entry in {@link ChardevBackends}; its type must be one the schema's
 * {@code ChardevBackend} union declares.
 */
public interface ChardevBackend {

    /** The driver name: {@code chardev-add}'s {@code type}, {@code -chardev}'s first word. */
    String name();

    /**
     * Turns {@code -chardev} options (their types already checked) into {@code chardev-add}'s
     * {@code data}, as QEMU's {@code qemu_chr_parse_*} of this backend does.
     *
     * @throws IllegalArgumentException QEMU's text for options that do not make this backend
     */
    default void parseOptions(QemuOpts opts, ObjectNode data) {}

    /**
     * For a backend that listens and waits for a client before the run goes on ({@code -chardev
     * socket,server=on,wait=on}), QEMU's address text of its "waiting for connection" line; else
     * null.
     */
    default String waitsForClientAt(JsonNode data) {
        return null;
    }

    /**
     * Whether {@link #create} returns at once on any thread for {@code data} (as sent,
     * unvalidated): then {@code chardev-add} may run inline (ADR 7). False when opening may block
     * (a FIFO waits for its reader, a connect for its peer, a name for its lookup).
     */
    default boolean createsAtOnce(JsonNode data) {
        return false;
    }

    /**
     * Opens the chardev. A failure leaves nothing behind (no socket file, no port, no descriptor).
     *
     * @throws QmpException  QEMU's text, without the {@code Failed to add chardev} prefix
     * @throws IOException   a failure whose message is QEMU's text
     */
    Chardev create(String id, JsonNode data, ChardevContext context) throws IOException;
}
