package io.qmpd.qapi.opts;

import java.util.ArrayList;
import java.util.List;

/**
 * QEMU's option-argument syntax: {@code key=value} pairs separated by {@code ,}; {@code ,,} is a
 * literal comma inside a value; the first item may leave out its key when the option has an
 * implied one ({@code -chardev socket,...} means {@code backend=socket}); any other item without
 * {@code =} is a flag ({@code server} means {@code server=on}, {@code nowait} means
 * {@code wait=off}), which QEMU accepts with a deprecation warning.
 */
public final class QemuOptsParser {

    private QemuOptsParser() {}

    /** The result and the warnings QEMU would print for it. */
    public record Parsed(QemuOpts opts, List<String> warnings) {
        public Parsed {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * @param impliedKey the key of a first item written without {@code =}, or null
     */
    public static Parsed parse(String text, String impliedKey) {
        List<QemuOpts.Pair> pairs = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int p = 0;
        boolean first = true;
        while (p < text.length()) {
            int nameEnd = indexOfAny(text, p);
            if (nameEnd < text.length() && text.charAt(nameEnd) == '=') {
                String key = text.substring(p, nameEnd);
                StringBuilder value = new StringBuilder();
                p = readValue(text, nameEnd + 1, value);
                pairs.add(new QemuOpts.Pair(key, value.toString()));
            } else if (first && impliedKey != null) {
                StringBuilder value = new StringBuilder();
                p = readValue(text, p, value);
                pairs.add(new QemuOpts.Pair(impliedKey, value.toString()));
            } else {
                String flag = text.substring(p, nameEnd);
                p = nameEnd < text.length() ? nameEnd + 1 : nameEnd;
                boolean negated = flag.startsWith("no");
                String key = negated ? flag.substring(2) : flag;
                String value = negated ? "off" : "on";
                warnings.add("warning: short-form boolean option '" + flag + "' deprecated\nPlease use " + key + "="
                        + value + " instead");
                pairs.add(new QemuOpts.Pair(key, value));
            }
            first = false;
        }
        return new Parsed(new QemuOpts(pairs), warnings);
    }

    /** The first {@code =} or {@code ,} at or after {@code from}, or the end. */
    private static int indexOfAny(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' || c == ',') {
                return i;
            }
        }
        return s.length();
    }

    /** Reads a value up to a single comma ({@code ,,} is a comma); returns where the next item starts. */
    private static int readValue(String s, int from, StringBuilder out) {
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ',') {
                if (i + 1 < s.length() && s.charAt(i + 1) == ',') {
                    out.append(',');
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            out.append(c);
            i++;
        }
        return i;
    }
}
