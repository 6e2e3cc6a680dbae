package io.qmpd.json;

/**
 * Prints a string as QEMU's JSON writer quotes it: {@code "} and {@code \} backslash-escaped,
 * BS FF LF CR HT as {@code \b \f \n \r \t}, every other code point below U+0020 or from U+007F
 * up as {@code \}{@code uXXXX} (upper-case hex; beyond the BMP as a surrogate pair), {@code /}
 * as it is. What QEMU's modified UTF-8 decoder rejects prints as {@code \}{@code uFFFD}: in a
 * Java string that is a lone surrogate and Unicode's 66 noncharacters (U+FDD0..U+FDEF and every
 * code point ending in FFFE or FFFF). U+0000 prints as {@code \}{@code u0000}, as QEMU prints
 * its modified UTF-8 form C0 80.
 *
 * <p>Prints into its writer's buffer; confined to the writer's thread.
 */
final class QuotedStr {

    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
    private static final int REPLACEMENT = 0xFFFD;
    /** Most bytes one step of the loop writes: a surrogate pair, two escapes of six bytes. */
    private static final int MAX_STEP = 12;

    private final QmpJsonWriter writer;

    QuotedStr(QmpJsonWriter writer) {
        this.writer = writer;
    }

    void write(String text) {
        int n = text.length();
        // Room for the common case, one byte per char; escapes make room as they come.
        writer.ensure(n + 2);
        byte[] out = writer.buffer();
        int pos = writer.length();
        out[pos++] = '"';
        for (int c = 0; c < n; c++) {
            char ch = text.charAt(c);
            if (ch >= 0x20 && ch < 0x7F && ch != '"' && ch != '\\') {
                out[pos++] = (byte) ch;
                continue;
            }
            if (pos + MAX_STEP + 1 + (n - c) > out.length) {
                writer.setLength(pos);
                writer.ensure(MAX_STEP + 1 + (n - c));
                out = writer.buffer();
            }
            if (ch == '"' || ch == '\\') {
                out[pos++] = '\\';
                out[pos++] = (byte) ch;
            } else if (ch < 0x20) {
                pos = control(ch, out, pos);
            } else if (Character.isHighSurrogate(ch) && c + 1 < n && Character.isLowSurrogate(text.charAt(c + 1))) {
                char low = text.charAt(++c);
                int cp = Character.toCodePoint(ch, low);
                if ((cp & 0xFFFE) == 0xFFFE) {
                    pos = escape(REPLACEMENT, out, pos);
                } else {
                    pos = escape(ch, out, pos);
                    pos = escape(low, out, pos);
                }
            } else if (Character.isSurrogate(ch) || (ch >= 0xFDD0 && ch <= 0xFDEF) || ch >= 0xFFFE) {
                pos = escape(REPLACEMENT, out, pos);
            } else {
                pos = escape(ch, out, pos);
            }
        }
        out[pos++] = '"';
        writer.setLength(pos);
    }

    private static int control(char ch, byte[] out, int pos) {
        byte letter;
        switch (ch) {
            case '\b' -> letter = 'b';
            case '\f' -> letter = 'f';
            case '\n' -> letter = 'n';
            case '\r' -> letter = 'r';
            case '\t' -> letter = 't';
            default -> {
                return escape(ch, out, pos);
            }
        }
        out[pos++] = '\\';
        out[pos++] = letter;
        return pos;
    }

    private static int escape(int unit, byte[] out, int pos) {
        out[pos++] = '\\';
        out[pos++] = 'u';
        out[pos++] = HEX[(unit >> 12) & 0xF];
        out[pos++] = HEX[(unit >> 8) & 0xF];
        out[pos++] = HEX[(unit >> 4) & 0xF];
        out[pos++] = HEX[unit & 0xF];
        return pos;
    }
}
