package io.qmpd.qapi.opts;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one option accepts (QEMU's {@code QemuOptsList}): its name, the implied key of a first
 * item without {@code =}, and the keys it knows. Checks a parsed argument with QEMU's errors.
 */
public record QemuOptsList(String name, String impliedKey, Set<String> keys) {

    public QemuOptsList {
        Objects.requireNonNull(name, "name");
        keys = Set.copyOf(keys);
    }

    /** The result and QEMU's warnings (short-form booleans). */
    public record Checked(QemuOpts opts, List<String> warnings) {}

    /**
     * Parses {@code text} and checks every key and the {@code id}.
     *
     * @throws IllegalArgumentException QEMU's text: {@code Invalid parameter 'x'},
     *                                  {@code Parameter 'id' expects an identifier}
     */
    public Checked parse(String text) {
        QemuOptsParser.Parsed parsed = QemuOptsParser.parse(text, impliedKey);
        for (QemuOpts.Pair pair : parsed.opts().pairs()) {
            if (!keys.contains(pair.key())) {
                throw new IllegalArgumentException("Invalid parameter '" + pair.key() + "'");
            }
        }
        parsed.opts().get("id").ifPresent(id -> {
            if (!isIdentifier(id)) {
                throw new IllegalArgumentException("Parameter 'id' expects an identifier");
            }
        });
        return new Checked(parsed.opts(), parsed.warnings());
    }

    /** QEMU's identifier rule: letters, digits, '-', '.', '_', starting with a letter. */
    public static boolean isIdentifier(String id) {
        if (id.isEmpty() || !isAsciiLetter(id.charAt(0))) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
