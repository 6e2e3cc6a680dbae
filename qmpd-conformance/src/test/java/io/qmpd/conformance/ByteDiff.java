package io.qmpd.conformance;

/** Shows the first differing byte of two one-char-per-byte texts, with context around it. */
final class ByteDiff {

    private static final int CONTEXT = 80;

    private ByteDiff() {}

    static String describe(String expected, String actual) {
        int i = 0;
        int n = Math.min(expected.length(), actual.length());
        while (i < n && expected.charAt(i) == actual.charAt(i)) {
            i++;
        }
        return "first difference at byte " + i + " (expected " + expected.length() + " bytes, got " + actual.length()
                + ")\n    expected: " + around(expected, i) + "\n    actual:   " + around(actual, i);
    }

    private static String around(String s, int i) {
        int from = Math.max(0, i - CONTEXT);
        int to = Math.min(s.length(), i + CONTEXT);
        return (from > 0 ? "..." : "") + escape(s.substring(from, Math.min(i, to))) + "[HERE>"
                + escape(s.substring(Math.min(i, to), to)) + (to < s.length() ? "..." : "");
    }

    /** Printable ASCII as is, everything else as \r, \n, \t or \xNN (ISO-8859-1 chars are bytes). */
    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        out.append(c);
                    } else {
                        out.append(String.format("\\x%02x", (int) c));
                    }
                }
            }
        }
        return out.toString();
    }
}
