package io.qmpd.client.shell;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Prints JSON the way QEMU's qmp-shell does (Python's {@code json.dumps}): compact with
 * {@code ", "} and {@code ": "} separators in wire order, or with {@code -p} indented by 4 with
 * sorted keys; non-ASCII characters escaped as {@code \\uXXXX}.
 */
final class PythonStyleJson {

    private PythonStyleJson() {}

    static String dumps(JsonNode value, boolean pretty) {
        StringBuilder out = new StringBuilder();
        write(out, value, pretty, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, JsonNode value, boolean pretty, int depth) {
        if (value.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            value.fields().forEachRemaining(fields::add);
            if (pretty) {
                fields.sort(Map.Entry.comparingByKey());
            }
            if (fields.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            for (int i = 0; i < fields.size(); i++) {
                separate(out, pretty, depth + 1, i);
                quote(out, fields.get(i).getKey());
                out.append(": ");
                write(out, fields.get(i).getValue(), pretty, depth + 1);
            }
            close(out, pretty, depth, '}');
        } else if (value.isArray()) {
            if (value.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            Iterator<JsonNode> it = value.elements();
            for (int i = 0; it.hasNext(); i++) {
                separate(out, pretty, depth + 1, i);
                write(out, it.next(), pretty, depth + 1);
            }
            close(out, pretty, depth, ']');
        } else if (value.isTextual()) {
            quote(out, value.textValue());
        } else {
            out.append(value.toString());
        }
    }

    private static void separate(StringBuilder out, boolean pretty, int depth, int index) {
        if (pretty) {
            out.append(index == 0 ? "" : ",").append('\n').append("    ".repeat(depth));
        } else if (index > 0) {
            out.append(", ");
        }
    }

    private static void close(StringBuilder out, boolean pretty, int depth, char bracket) {
        if (pretty) {
            out.append('\n').append("    ".repeat(depth));
        }
        out.append(bracket);
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
