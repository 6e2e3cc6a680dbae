package io.qmpd.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

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

    private JsonNode parseValue() {
        if (atEnd()) {
            return null;
        }
        switch (tokens.type(pos)) {
            case LCURLY:
                return parseObject();
            case LSQUARE:
                return parseArray();
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

    private JsonNode parseObject() {
        pos++;
        ObjectNode object = NODES.objectNode();
        if (atEnd()) {
            return null;
        }
        if (tokens.type(pos) == JsonTokenType.RCURLY) {
            pos++;
            return object;
        }
        if (!parsePair(object) || atEnd()) {
            return null;
        }
        JsonTokenType token = tokens.type(pos++);
        while (token != JsonTokenType.RCURLY) {
            if (token != JsonTokenType.COMMA) {
                fail("expected separator in dict");
                return null;
            }
            if (!parsePair(object) || atEnd()) {
                return null;
            }
            token = tokens.type(pos++);
        }
        return object;
    }

    private boolean parsePair(ObjectNode object) {
        if (atEnd()) {
            return false;
        }
        JsonNode key = parseValue();
        if (key == null || !key.isTextual()) {
            fail("key is not a string in object");
            return false;
        }
        if (atEnd()) {
            return false;
        }
        if (tokens.type(pos++) != JsonTokenType.COLON) {
            fail("missing : in object pair");
            return false;
        }
        JsonNode value = parseValue();
        if (value == null) {
            fail("Missing value in dict");
            return false;
        }
        String name = key.textValue();
        if (object.has(name)) {
            fail("duplicate key");
            return false;
        }
        object.set(name, value);
        return true;
    }

    private JsonNode parseArray() {
        pos++;
        ArrayNode array = NODES.arrayNode();
        if (atEnd()) {
            return null;
        }
        if (tokens.type(pos) == JsonTokenType.RSQUARE) {
            pos++;
            return array;
        }
        JsonNode element = parseValue();
        if (element == null) {
            fail("expecting value");
            return null;
        }
        array.add(element);
        if (atEnd()) {
            return null;
        }
        JsonTokenType token = tokens.type(pos++);
        while (token != JsonTokenType.RSQUARE) {
            if (token != JsonTokenType.COMMA) {
                fail("expected separator in list");
                return null;
            }
            element = parseValue();
            if (element == null) {
                fail("expecting value");
                return null;
            }
            array.add(element);
            if (atEnd()) {
                return null;
            }
            token = tokens.type(pos++);
        }
        return array;
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
        return NODES.numberNode(Double.parseDouble(
                new String(tokens.bytes(), start, end - start, StandardCharsets.ISO_8859_1)));
    }
}
