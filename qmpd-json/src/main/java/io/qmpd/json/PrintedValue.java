package io.qmpd.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A large value that never changes and is sent again and again ({@code query-qmp-schema}'s
 * answer): {@link QmpJsonWriter} prints it once per layout (compact or pretty, at a nesting
 * depth, with CRLF or LF line ends) and copies those bytes every later time. Wrap it with
 * {@link #of}; the node stands wherever the value would. Thread-safe.
 */
public final class PrintedValue {

    private final JsonNode value;
    /** Printed layouts by {@link #key}. */
    private final ConcurrentHashMap<Integer, byte[]> printed = new ConcurrentHashMap<>();

    private PrintedValue(JsonNode value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** A node that prints as {@code value}, which must not change from now on. */
    public static JsonNode of(JsonNode value) {
        return new POJONode(new PrintedValue(value));
    }

    /** The printed bytes for this layout, printing them the first time. */
    byte[] bytes(boolean pretty, int depth, boolean crlf) {
        return printed.computeIfAbsent(key(pretty, depth, crlf), k -> QmpJsonWriter.print(value, pretty, depth, crlf));
    }

    private static int key(boolean pretty, int depth, boolean crlf) {
        return (depth << 2) | (pretty ? 2 : 0) | (crlf ? 1 : 0);
    }
}
