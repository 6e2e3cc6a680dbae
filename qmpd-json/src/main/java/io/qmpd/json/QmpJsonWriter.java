package io.qmpd.json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Prints values as QEMU's JSON writer does: QDict member order, {@code ", "} and {@code ": "}
 * separators, ASCII-only output, QEMU's number formats, CRLF line ends.
 *
 * <p>API CONTRACT (stub, to be implemented): see the helper prompt.
 */
public final class QmpJsonWriter {

    private QmpJsonWriter() {
    }

    /** One complete monitor message: the value, compact or pretty, followed by CRLF. */
    public static byte[] message(JsonNode value, boolean pretty) {
        throw new UnsupportedOperationException("stub");
    }
}
