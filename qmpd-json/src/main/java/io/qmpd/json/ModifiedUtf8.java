package io.qmpd.json;

/**
 * Decodes QEMU's "modified UTF-8" (UTF-8 in which U+0000 may also be written C0 80) one sequence
 * at a time, with QEMU's rules for what one invalid sequence is (util/unicode.c,
 * {@code mod_utf8_codepoint()}): an impossible byte (FE, FF) or a stray continuation byte is one
 * byte long; a sequence cut short by a missing continuation byte ends before that byte; a
 * well-formed sequence that is overlong (other than C0 80), a surrogate, a noncharacter or beyond
 * U+10FFFF is invalid as a whole. Stateless.
 */
final class ModifiedUtf8 {

    /** Smallest code point that needs 2, 3, 4, 5 and 6 bytes. */
    private static final int[] MIN_CODE_POINT = {0x80, 0x800, 0x10000, 0x200000, 0x4000000};

    private ModifiedUtf8() {}

    /** Whether {@code cp} is a Unicode scalar value that is not a noncharacter. */
    static boolean isValidCodePoint(int cp) {
        if (cp < 0 || cp > 0x10FFFF) {
            return false;
        }
        if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
            return false;
        }
        return cp < 0xD800 || cp > 0xDFFF;
    }

    /**
     * Decodes the sequence starting at {@code bytes[pos]} (which must be below {@code end}; the
     * sequence never reads at or past {@code end}). Returns {@code (next << 32) | (cp & 0xFFFFFFFFL)}
     * where {@code next} is the index after the sequence and {@code cp} is the code point, or -1
     * for an invalid sequence.
     */
    static long decode(byte[] bytes, int pos, int end) {
        int first = bytes[pos] & 0xFF;
        int p = pos + 1;
        int cp;
        if (first < 0x80) {
            cp = first;
        } else if (first >= 0xFE || (first & 0x40) == 0) {
            cp = -1;
        } else {
            int len = Integer.numberOfLeadingZeros(~first << 24);
            cp = first & ((1 << (7 - len)) - 1);
            for (int i = 1; i < len; i++) {
                int b = p < end ? bytes[p] & 0xFF : 0;
                if ((b & 0xC0) != 0x80) {
                    return pack(p, -1);
                }
                p++;
                cp = (cp << 6) | (b & 0x3F);
            }
            if (!isValidCodePoint(cp)) {
                cp = -1;
            } else if (cp < MIN_CODE_POINT[len - 2] && !(cp == 0 && len == 2)) {
                cp = -1;
            }
        }
        return pack(p, cp);
    }

    private static long pack(int next, int cp) {
        return ((long) next << 32) | (cp & 0xFFFFFFFFL);
    }

    static int next(long decoded) {
        return (int) (decoded >>> 32);
    }

    static int codePoint(long decoded) {
        return (int) decoded;
    }

    /**
     * The text QEMU's writer would print for these bytes taken as a C string: decoding stops at
     * the first NUL byte, and every invalid sequence becomes one U+FFFD.
     */
    static String display(byte[] bytes, int from, int to) {
        int end = from;
        while (end < to && bytes[end] != 0) {
            end++;
        }
        StringBuilder out = new StringBuilder(end - from);
        int pos = from;
        while (pos < end) {
            int b = bytes[pos];
            if (b > 0) {
                out.append((char) b);
                pos++;
                continue;
            }
            long d = decode(bytes, pos, end);
            int cp = codePoint(d);
            out.appendCodePoint(cp < 0 ? 0xFFFD : cp);
            pos = next(d);
        }
        return out.toString();
    }
}
