package io.qmpd.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * QEMU's classic recursive-descent JSON parser (qobject/json-parser.c, QEMU &lt;= 11.0) over the
 * tokens of one top-level value. The first error wins; its text is QEMU's, prefixed
 * {@code JSON parse error, }. Objects keep the members in source order. Integers become int64
 * nodes if they fit, else uint64 ({@link java.math.BigInteger}) nodes, else doubles. Confined to
 * the thread that owns the enclosing {@link JsonStreamer}.
 */
final class JsonParser {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final JsonStringDecoder strings = new JsonStringDecoder();

    // Per parse; owned by the streamer's thread.
    private JsonTokenQueue tokens;
    private int pos;
    private String error;

    /**
     * Parses all of {@code queue}. Returns the value, or null when {@link #error()} says why not.
     */
    JsonNode parse(JsonTokenQueue queue) {
        tokens = queue;
        pos = 0;
        error = null;
        JsonNode value = parseValue();
        tokens = null;
        if (value == null && error == null) {
            error = "JSON parse error, expecting value";
        }
        return error == null ? value : null;
    }

    /** The error of the last {@link #parse}, or null. */
    String error() {
        return error;
    }

    private void fail(String message) {
        if (error == null) {
            error = "JSON parse error, " + message;
        }
    }

    private boolean atEnd() {
        if (pos >= tokens.size()) {
            fail("premature EOI");
            return true;
        }
        return false;
    }

    /**
     * The recursive descent of QEMU's parser, run with an explicit stack so that deep nesting
     * cannot overflow the Java stack. Each open container is one {@link Frame}.
     */
    private JsonNode parseValue() {
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        while (true) {
            // Parse one value at pos; a container with members pushes a frame and parses its first one.
            if (atEnd()) {
                return null;
            }
            JsonNode value;
            JsonTokenType type = tokens.type(pos);
            if (type == JsonTokenType.LCURLY || type == JsonTokenType.LSQUARE) {
                pos++;
                boolean object = type == JsonTokenType.LCURLY;
                JsonNode container = object ? NODES.objectNode() : NODES.arrayNode();
                if (atEnd()) {
                    return null;
                }
                if (tokens.type(pos) != (object ? JsonTokenType.RCURLY : JsonTokenType.RSQUARE)) {
                    stack.push(new Frame(container, object));
                    continue;
                }
                pos++;
                value = container;
            } else {
                value = parseScalar(type);
                if (value == null) {
                    return null;
                }
            }
            // A value is complete: hand it to the enclosing containers as long as they close.
            while (true) {
                Frame frame = stack.peek();
                if (frame == null) {
                    return value;
                }
                value = frame.object ? objectMember(frame, value) : arrayElement(frame, value);
                if (value == null) {
                    break;
                }
                stack.pop();
            }
            if (error != null) {
                return null;
            }
        }
    }

    /** Outcome of a completed member: the closed object, or null to parse the next value (or stop on error). */
    private JsonNode objectMember(Frame frame, JsonNode value) {
        ObjectNode object = (ObjectNode) frame.container;
        if (frame.key == null) {
            if (!value.isTextual()) {
                fail("key is not a string in object");
                return null;
            }
            if (atEnd()) {
                return null;
            }
            if (tokens.type(pos++) != JsonTokenType.COLON) {
                fail("missing : in object pair");
                return null;
            }
            frame.key = value.textValue();
            return null;
        }
        if (object.has(frame.key)) {
            fail("duplicate key");
            return null;
        }
        object.set(frame.key, value);
        frame.key = null;
        if (atEnd()) {
            return null;
        }
        JsonTokenType token = tokens.type(pos++);
        if (token == JsonTokenType.RCURLY) {
            return object;
        }
        if (token != JsonTokenType.COMMA) {
            fail("expected separator in dict");
        }
        return null;
    }

    /** Outcome of a completed element: the closed array, or null to parse the next value (or stop on error). */
    private JsonNode arrayElement(Frame frame, JsonNode value) {
        ArrayNode array = (ArrayNode) frame.container;
        array.add(value);
        if (atEnd()) {
            return null;
        }
        JsonTokenType token = tokens.type(pos++);
        if (token == JsonTokenType.RSQUARE) {
            return array;
        }
        if (token != JsonTokenType.COMMA) {
            fail("expected separator in list");
        }
        return null;
    }

    private JsonNode parseScalar(JsonTokenType type) {
        switch (type) {
            case STRING:
                return parseString();
            case INTEGER:
                return parseInteger();
            case FLOAT:
                return parseFloat();
            case KEYWORD:
                return parseKeyword();
            default:
                fail("expecting value");
                return null;
        }
    }

    /** An open object or array; for an object, the key of the member whose value is being parsed. */
    private static final class Frame {
        final JsonNode container;
        final boolean object;
        String key;

        Frame(JsonNode container, boolean object) {
            this.container = container;
            this.object = object;
        }
    }

    private JsonNode parseKeyword() {
        int start = tokens.start(pos);
        int end = tokens.end(pos);
        pos++;
        byte[] bytes = tokens.bytes();
        if (matches(bytes, start, end, "true")) {
            return NODES.booleanNode(true);
        }
        if (matches(bytes, start, end, "false")) {
            return NODES.booleanNode(false);
        }
        if (matches(bytes, start, end, "null")) {
            return NODES.nullNode();
        }
        fail("invalid keyword '" + new String(bytes, start, end - start, StandardCharsets.ISO_8859_1) + "'");
        return null;
    }

    private static boolean matches(byte[] bytes, int start, int end, String word) {
        if (end - start != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (bytes[start + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private JsonNode parseString() {
        int start = tokens.start(pos);
        int end = tokens.end(pos);
        pos++;
        String text = strings.decode(tokens.bytes(), start, end);
        if (text == null) {
            fail(strings.error());
            return null;
        }
        return NODES.textNode(text);
    }

    private JsonNode parseInteger() {
        int start = tokens.start(pos);
        int end = tokens.end(pos);
        pos++;
        byte[] bytes = tokens.bytes();
        boolean negative = bytes[start] == '-';
        long value = 0;
        boolean overflow = false;
        for (int i = negative ? start + 1 : start; i < end; i++) {
            int digit = bytes[i] - '0';
            // Accumulate negatively so that Long.MIN_VALUE fits.
            if (value < (Long.MIN_VALUE + digit) / 10) {
                overflow = true;
                break;
            }
            value = value * 10 - digit;
        }
        String text = null;
        if (!overflow) {
            if (!negative) {
                if (value == Long.MIN_VALUE) {
                    overflow = true;
                } else {
                    value = -value;
                }
            }
            if (!overflow) {
                return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
            }
        }
        text = new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
        if (!negative) {
            BigInteger big = new BigInteger(text);
            if (big.compareTo(UINT64_MAX) <= 0) {
                return NODES.numberNode(big);
            }
        }
        return NODES.numberNode(Double.parseDouble(text));
    }

    private JsonNode parseFloat() {
        int start = tokens.start(pos);
        int end = tokens.end(pos);
        pos++;
        return NODES.numberNode(
                Double.parseDouble(new String(tokens.bytes(), start, end - start, StandardCharsets.ISO_8859_1)));
    }
}
