package io.qmpd.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * The text of a QNum as QEMU's JSON writer prints it: integers in decimal, doubles as C's
 * {@code printf("%.17g")} in the C locale (glibc), including its {@code inf}, {@code -inf},
 * {@code nan} and {@code -nan} for values JSON cannot express (QEMU prints those as they come).
 *
 * <p>Stateless; safe on any thread.
 */
public final class QNumFormat {

    /** No text this class writes is longer: sign, 17 digits, point, "0.0000" or "e+308". */
    static final int MAX_LENGTH = 32;

    private static final MathContext SEVENTEEN_DIGITS = new MathContext(17, RoundingMode.HALF_EVEN);

    /** Integral doubles below this magnitude print exactly as the long they equal. */
    private static final double EXACT_INTEGER_LIMIT = 1e16;

    private QNumFormat() {}

    /** {@code %.17g} of {@code value}, as a string (for tests and diagnostics). */
    public static String formatDouble(double value) {
        byte[] out = new byte[MAX_LENGTH];
        int end = writeDouble(value, out, 0);
        return new String(out, 0, end, StandardCharsets.US_ASCII);
    }

    /**
     * Writes {@code %.17g} of {@code value} into {@code out} at {@code pos}, which must have room
     * for {@link #MAX_LENGTH} bytes, and returns the position after the text.
     */
    static int writeDouble(double value, byte[] out, int pos) {
        boolean negative = Double.doubleToRawLongBits(value) < 0;
        if (Double.isNaN(value)) {
            return writeAscii(negative ? "-nan" : "nan", out, pos);
        }
        if (Double.isInfinite(value)) {
            return writeAscii(negative ? "-inf" : "inf", out, pos);
        }
        double magnitude = Math.abs(value);
        if (magnitude < EXACT_INTEGER_LIMIT && magnitude == Math.rint(magnitude)) {
            // At most 16 digits, exponent < 17: the fixed form, which is the integer itself.
            if (negative) {
                out[pos++] = '-';
            }
            return writeLong((long) magnitude, out, pos);
        }
        if (negative) {
            out[pos++] = '-';
        }
        BigDecimal rounded = new BigDecimal(magnitude).round(SEVENTEEN_DIGITS);
        String digits = rounded.unscaledValue().toString();
        int exponent = digits.length() - 1 - rounded.scale();
        int significant = digits.length();
        while (significant > 1 && digits.charAt(significant - 1) == '0') {
            significant--;
        }
        if (exponent < -4 || exponent >= 17) {
            out[pos++] = (byte) digits.charAt(0);
            if (significant > 1) {
                out[pos++] = '.';
                pos = writeDigits(digits, 1, significant, out, pos);
            }
            out[pos++] = 'e';
            out[pos++] = (byte) (exponent < 0 ? '-' : '+');
            int e = Math.abs(exponent);
            if (e < 10) {
                out[pos++] = '0';
            }
            return writeLong(e, out, pos);
        }
        if (exponent < 0) {
            out[pos++] = '0';
            out[pos++] = '.';
            for (int z = -1; z > exponent; z--) {
                out[pos++] = '0';
            }
            return writeDigits(digits, 0, significant, out, pos);
        }
        int integerDigits = exponent + 1;
        for (int d = 0; d < integerDigits; d++) {
            out[pos++] = (byte) (d < significant ? digits.charAt(d) : '0');
        }
        if (significant > integerDigits) {
            out[pos++] = '.';
            pos = writeDigits(digits, integerDigits, significant, out, pos);
        }
        return pos;
    }

    /**
     * Writes {@code value} in decimal into {@code out} at {@code pos}, which must have room for
     * 20 bytes, and returns the position after the text.
     */
    static int writeLong(long value, byte[] out, int pos) {
        if (value == Long.MIN_VALUE) {
            return writeAscii("-9223372036854775808", out, pos);
        }
        if (value < 0) {
            out[pos++] = '-';
            value = -value;
        }
        if (value < 10) {
            out[pos++] = (byte) ('0' + value);
            return pos;
        }
        int length = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            length++;
        }
        int end = pos + length;
        for (int p = end - 1; p >= pos; p--) {
            out[p] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return end;
    }

    private static int writeDigits(String digits, int from, int to, byte[] out, int pos) {
        for (int d = from; d < to; d++) {
            out[pos++] = (byte) digits.charAt(d);
        }
        return pos;
    }

    private static int writeAscii(String text, byte[] out, int pos) {
        for (int i = 0; i < text.length(); i++) {
            out[pos++] = (byte) text.charAt(i);
        }
        return pos;
    }
}
