package io.qmpd.chardev;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.qapi.opts.QemuOpts;
import io.qmpd.qapi.opts.QemuOptsList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A chardev written in QEMU's {@code -chardev} syntax ({@code BACKEND,id=ID,...}, the
 * {@code chardev} option list) turned into the QAPI {@code ChardevBackend} that QMP's
 * {@code chardev-add} takes (QEMU's {@code qemu_chr_parse_*} per backend), with QEMU's texts for
 * what the options themselves get wrong. Whether the backend can be opened is the factory's
 * business at creation time. Used by the {@code -chardev} option and by HMP {@code chardev-add}.
 *
 * @param id        the chardev id
 * @param backend   the {@code ChardevBackend} tree ({@code {"type": ..., "data": {...}}}); callers must not change it
 * @param waitingOn for a listening socket with {@code wait=on}, QEMU's address text
 *                  ({@code unix:/path}, {@code tcp:host:port}) of its "waiting for connection" line; else null
 */
public record ChardevOpts(String id, ObjectNode backend, String waitingOn) {

    /** QEMU's {@code chardev} option list: implied key {@code backend}, the keys qmpd knows. */
    public static final QemuOptsList LIST = new QemuOptsList(
            "chardev",
            "backend",
            Set.of(
                    "backend",
                    "id",
                    "path",
                    "host",
                    "port",
                    "fd",
                    "to",
                    "ipv4",
                    "ipv6",
                    "wait",
                    "server",
                    "nodelay",
                    "reconnect",
                    "reconnect-ms",
                    "telnet",
                    "tn3270",
                    "websocket",
                    "mux",
                    "signal",
                    "size",
                    "append",
                    "logfile",
                    "logappend",
                    "abstract",
                    "tight",
                    "input-path",
                    "mode"));

    /** The keys QEMU's {@code chardev} list declares as booleans, numbers and sizes. */
    private static final Set<String> BOOLEANS = Set.of(
            "ipv4",
            "ipv6",
            "wait",
            "server",
            "nodelay",
            "telnet",
            "tn3270",
            "websocket",
            "mux",
            "signal",
            "append",
            "logappend",
            "abstract",
            "tight");

    private static final Set<String> NUMBERS = Set.of("to", "reconnect", "reconnect-ms");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public ChardevOpts {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(backend, "backend");
    }

    /**
     * Checks the values of typed keys as QEMU does while it parses the option (before any backend
     * is looked at): booleans, numbers and the size.
     *
     * @throws IllegalArgumentException QEMU's text, e.g. {@code Parameter 'server' expects 'on' or 'off'}
     */
    public static void checkTypes(QemuOpts opts) {
        for (QemuOpts.Pair pair : opts.pairs()) {
            String key = pair.key();
            if (BOOLEANS.contains(key)) {
                new QemuOpts(List.of(pair)).bool(key, false);
            } else if (NUMBERS.contains(key)) {
                number(key, pair.value());
            } else if (key.equals("size")) {
                size(pair.value());
            }
        }
    }

    /**
     * The backend {@code opts} (already checked against {@link #LIST}) describe, as one of
     * {@code backends} reads them.
     *
     * @throws IllegalArgumentException QEMU's text for options that do not make a backend
     */
    public static ChardevOpts of(String id, QemuOpts opts, ChardevBackends backends) {
        String backend = opts.get("backend").orElse("");
        if (backend.isEmpty()) {
            throw new IllegalArgumentException("chardev: \"" + id + "\" missing backend");
        }
        if (opts.bool("mux", false)) {
            throw new IllegalArgumentException("chardev: mux=on is not supported by qmpd");
        }
        ObjectNode data = JSON.objectNode();
        opts.get("logfile").ifPresent(v -> data.put("logfile", v));
        if (opts.has("logappend")) {
            data.put("logappend", opts.bool("logappend", false));
        }
        ChardevBackend kind = backends.find(backend)
                .orElseThrow(() -> new IllegalArgumentException("'" + backend + "' is not a valid char driver name"));
        kind.parseOptions(opts, data);
        ObjectNode spec = JSON.objectNode();
        spec.put("type", backend);
        spec.set("data", data);
        return new ChardevOpts(id, spec, kind.waitsForClientAt(data));
    }

    /** What QEMU prints when it has opened a pty (on the command line, or through HMP). */
    public static String redirectedLine(String ptyPath, String id) {
        return "char device redirected to " + ptyPath + " (label " + id + ")\n";
    }

    static long number(String key, String v) {
        try {
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Parameter '" + key + "' expects a number");
        }
    }

    /** QEMU's size syntax: a number with an optional K, M, G or T suffix (binary). */
    static long size(String v) {
        String digits = v;
        long unit = 1;
        if (!v.isEmpty() && "kKmMgGtT".indexOf(v.charAt(v.length() - 1)) >= 0) {
            char s = Character.toUpperCase(v.charAt(v.length() - 1));
            unit = s == 'K' ? 1L << 10 : s == 'M' ? 1L << 20 : s == 'G' ? 1L << 30 : 1L << 40;
            digits = v.substring(0, v.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("Parameter 'size' expects a non-negative number below 2^64");
        }
    }
}
