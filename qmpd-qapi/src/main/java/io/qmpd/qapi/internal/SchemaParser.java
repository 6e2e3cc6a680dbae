package io.qmpd.qapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one file in QEMU's schema language: a sequence of JSON-like objects with single-quoted
 * strings, {@code true}/{@code false}, and {@code #} comments to the end of the line. The
 * comment lines directly above an expression become its documentation. Stateless between calls;
 * one instance per file.
 */
public final class SchemaParser {

    /** One top-level expression, with the line it starts on and the comment block above it. */
    public record Expression(ObjectNode body, String file, int line, String doc) {
        public String where() {
            return file + ":" + line;
        }
    }

    private final String file;
    private final String text;
    private int pos;
    private int line = 1;
    private final StringBuilder comment = new StringBuilder();
    private boolean lineHasComment;

    public SchemaParser(String file, String text) {
        this.file = file;
        this.text = text;
    }

    public List<Expression> parse() {
        List<Expression> out = new ArrayList<>();
        while (true) {
            skipBlank(true);
            if (pos >= text.length()) {
                return out;
            }
            int start = line;
            String doc = comment.toString().strip();
            comment.setLength(0);
            if (text.charAt(pos) != '{') {
                throw error(start, "expected '{' at top level");
            }
            JsonNode value = value();
            out.add(new Expression((ObjectNode) value, file, start, doc));
        }
    }

    private JsonNode value() {
        skipBlank(false);
        if (pos >= text.length()) {
            throw error(line, "unexpected end of file");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '\'':
                return TextNode.valueOf(string());
            default:
                if (text.startsWith("true", pos)) {
                    pos += 4;
                    return BooleanNode.TRUE;
                }
                if (text.startsWith("false", pos)) {
                    pos += 5;
                    return BooleanNode.FALSE;
                }
                throw error(line, "stray '" + c + "'");
        }
    }

    private ObjectNode object() {
        ObjectNode obj = JsonNodeFactory.instance.objectNode();
        pos++;
        skipBlank(false);
        if (peek() == '}') {
            pos++;
            return obj;
        }
        while (true) {
            skipBlank(false);
            if (peek() != '\'') {
                throw error(line, "expected string key");
            }
            int keyLine = line;
            String key = string();
            skipBlank(false);
            expect(':');
            JsonNode v = value();
            if (obj.has(key)) {
                throw error(keyLine, "duplicate key '" + key + "'");
            }
            obj.set(key, v);
            skipBlank(false);
            char c = peek();
            pos++;
            if (c == '}') {
                return obj;
            }
            if (c != ',') {
                throw error(line, "expected ',' or '}'");
            }
        }
    }

    private ArrayNode array() {
        ArrayNode arr = JsonNodeFactory.instance.arrayNode();
        pos++;
        skipBlank(false);
        if (peek() == ']') {
            pos++;
            return arr;
        }
        while (true) {
            arr.add(value());
            skipBlank(false);
            char c = peek();
            pos++;
            if (c == ']') {
                return arr;
            }
            if (c != ',') {
                throw error(line, "expected ',' or ']'");
            }
        }
    }

    private String string() {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n') {
                throw error(line, "missing terminating \"'\"");
            }
            char c = text.charAt(pos++);
            if (c == '\'') {
                return sb.toString();
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    throw error(line, "missing terminating \"'\"");
                }
                c = text.charAt(pos++);
            }
            sb.append(c);
        }
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error(line, "expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error(line, "unexpected end of file");
        }
        return text.charAt(pos);
    }

    /** Skips white space and comments; at top level, collects the comment block for the next expression. */
    private void skipBlank(boolean topLevel) {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                if (topLevel && !lineHasComment) {
                    comment.setLength(0); // a blank line ends the doc block above an expression
                }
                lineHasComment = false;
                line++;
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#') {
                int end = text.indexOf('\n', pos);
                if (end < 0) {
                    end = text.length();
                }
                lineHasComment = true;
                if (topLevel) {
                    String body = text.substring(pos, end).replaceFirst("^#+ ?", "");
                    if (text.startsWith("##", pos) && body.isBlank()) {
                        // "##" lines open and close a doc block: keep only the words between them
                    } else {
                        comment.append(body).append('\n');
                    }
                }
                pos = end;
            } else {
                return;
            }
        }
    }

    private SchemaException error(int at, String message) {
        return new SchemaException(file + ":" + at + ": " + message);
    }
}
