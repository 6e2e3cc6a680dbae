package io.qmpd.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one connection is expected to receive, as recorded (the concatenation of its {@code recv}
 * exchanges), compared with what it did receive. Lines the recorder elided
 * ({@code <...N chars...>}) match by prefix and suffix. Everything is handled as ISO-8859-1 text
 * so that one char is one byte.
 */
final class Transcript {

    private static final Pattern ELISION = Pattern.compile("<\\.\\.\\.\\d+ chars(?: total)?\\.\\.\\.>");

    /** The expected bytes so far, as one-char-per-byte text. Owned by the replaying thread. */
    private final StringBuilder expected = new StringBuilder();

    void expect(byte[] recv) {
        expected.append(new String(recv, StandardCharsets.ISO_8859_1));
    }

    boolean isEmpty() {
        return expected.length() == 0;
    }

    /** Newlines the server must have sent for the expectation so far; an elided line counts as one. */
    int newlines() {
        int n = 0;
        for (String line : lines(expected.toString())) {
            if (line.endsWith("\n") || ELISION.matcher(line).find()) {
                n++;
            }
        }
        return n;
    }

    /** Bytes expected after the last newline (an HMP prompt), which carry no variable field. */
    int trailingBytes() {
        List<String> lines = lines(expected.toString());
        if (lines.isEmpty()) {
            return 0;
        }
        String last = lines.get(lines.size() - 1);
        return last.endsWith("\n") || ELISION.matcher(last).find() ? 0 : last.length();
    }

    /** Whether {@code received} holds at least as many lines (and trailing bytes) as expected. */
    boolean satisfiedBy(byte[] received) {
        int need = newlines();
        int tail = trailingBytes();
        int seen = 0;
        for (int i = 0; i < received.length; i++) {
            if (received[i] == '\n' && ++seen == need) {
                return received.length - (i + 1) >= tail;
            }
        }
        return need == 0 && received.length >= tail;
    }

    /** Empty when {@code received} matches; otherwise where and how it differs. */
    Optional<String> mismatch(byte[] received) {
        return mismatch(received, false);
    }

    /**
     * Like {@link #mismatch(byte[])}; with {@code anyLineOrder} the received lines may come in any
     * order (for sessions whose recording notes that reply order depends on timing).
     */
    Optional<String> mismatch(byte[] received, boolean anyLineOrder) {
        String actual = VariableFields.normalize(new String(received, StandardCharsets.ISO_8859_1));
        List<String> exp = lines(VariableFields.normalize(expected.toString()));
        List<String> act = lines(actual);
        StringBuilder resolved = new StringBuilder();
        for (int i = 0; i < exp.size(); i++) {
            String e = exp.get(i);
            String a = i < act.size() ? act.get(i) : "";
            resolved.append(fits(e, a) ? a : e);
        }
        String want = resolved.toString();
        if (want.equals(actual) || anyLineOrder && sameLinesInAnyOrder(exp, act)) {
            return Optional.empty();
        }
        return Optional.of(ByteDiff.describe(want, actual));
    }

    /** Whether {@code actual} is the expected line, or fits an elided one by prefix and suffix. */
    private static boolean fits(String expectedLine, String actual) {
        Matcher m = ELISION.matcher(expectedLine);
        if (!m.find()) {
            return expectedLine.equals(actual);
        }
        String prefix = expectedLine.substring(0, m.start());
        String suffix = expectedLine.substring(m.end());
        return actual.length() >= prefix.length() + suffix.length()
                && actual.startsWith(prefix)
                && actual.endsWith(suffix.isEmpty() ? "\n" : suffix);
    }

    /** Each expected line fits exactly one received line, and none is left over. */
    private static boolean sameLinesInAnyOrder(List<String> exp, List<String> act) {
        if (exp.size() != act.size()) {
            return false;
        }
        List<String> unmatched = new ArrayList<>(act);
        for (String e : exp) {
            int at = -1;
            for (int i = 0; i < unmatched.size() && at < 0; i++) {
                if (fits(e, unmatched.get(i))) {
                    at = i;
                }
            }
            if (at < 0) {
                return false;
            }
            unmatched.remove(at);
        }
        return true;
    }

    /** Splits after each newline, keeping it; a last piece without newline is kept too. */
    private static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                out.add(s.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }
}
