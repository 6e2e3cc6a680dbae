package io.qmpd.json;

import java.nio.charset.StandardCharsets;

/**
 * Turns the text of a string token (quotes included) into its value as QEMU's classic parser does
 * ({@code parse_string()}): escapes {@code \" \' \\ \/ \b \f \n \r \t \}{@code uXXXX} with surrogate
 * pairs; raw bytes must be valid modified UTF-8. Confined to the thread that owns the enclosing
 * {@link JsonStreamer}.
 */
final class JsonStringDecoder {

    private final StringBuilder out = new StringBuilder();
    private String error;

    /**
     * Returns the value of the string token {@code bytes[start, end)}, or null when
     * {@link #error()} (without the {@code JSON parse error, } prefix) says why not.
     */
    String decode(byte[] bytes, int start, int end) {
        error = null;
        byte quote = bytes[start];
        int last = end - 1;
        if (isPlainAscii(bytes, start + 1, last)) {
            return new String(bytes, start + 1, last - start - 1, StandardCharsets.ISO_8859_1);
        }
        out.setLength(0);
        int p = start + 1;
        while (p < end && bytes[p] != quote) {
            byte b = bytes[p];
            if (b == '\\') {
                p = escape(bytes, p, end);
                if (p < 0) {
                    return null;
                }
            } else if (b > 0) {
                out.append((char) b);
                p++;
            } else {
                long d = ModifiedUtf8.decode(bytes, p, end);
                int cp = ModifiedUtf8.codePoint(d);
                if (cp < 0) {
                    error = "invalid UTF-8 sequence in string";
                    return null;
                }
                out.appendCodePoint(cp);
                p = ModifiedUtf8.next(d);
            }
        }
        return out.toString();
    }

    /** Why the last {@link #decode} failed. */
    String error() {
        return error;
    }

    private static boolean isPlainAscii(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b < 0x20 || b == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Decodes the escape at {@code bytes[begin]} (a backslash); returns the index after it, or -1. */
    private int escape(byte[] bytes, int begin, int end) {
        int p = begin + 1;
        byte kind = at(bytes, p++, end);
        switch (kind) {
            case '"':
            case '\'':
            case '\\':
            case '/':
                out.append((char) kind);
                return p;
            case 'b':
                out.append('\b');
                return p;
            case 'f':
                out.append('\f');
                return p;
            case 'n':
                out.append('\n');
                return p;
            case 'r':
                out.append('\r');
                return p;
            case 't':
                out.append('\t');
                return p;
            case 'u':
                break;
            default:
                error = "invalid escape sequence in string";
                return -1;
        }
        int cp = hex4(bytes, p, end);
        p += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && at(bytes, p, end) == '\\' && at(bytes, p + 1, end) == 'u') {
            int trailing = hex4(bytes, p + 2, end);
            if (trailing >= 0xDC00 && trailing <= 0xDFFF) {
                cp = 0x10000 + ((cp & 0x3FF) << 10) | (trailing & 0x3FF);
                p += 6;
            } else {
                cp = -1;
            }
        }
        if (!ModifiedUtf8.isValidCodePoint(cp)) {
            // QEMU prints the escape with "%.*s", which stops at the end of the token text.
            error = ModifiedUtf8.display(bytes, begin, Math.min(p, end)) + " is not a valid Unicode character";
            return -1;
        }
        out.appendCodePoint(cp);
        return p;
    }

    private static byte at(byte[] bytes, int index, int end) {
        return index < end ? bytes[index] : 0;
    }

    private static int hex4(byte[] bytes, int from, int end) {
        int cp = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(at(bytes, from + i, end), 16);
            if (digit < 0) {
                return -1;
            }
            cp = (cp << 4) | digit;
        }
        return cp;
    }
}
