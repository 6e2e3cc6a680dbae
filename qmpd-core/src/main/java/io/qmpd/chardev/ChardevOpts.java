package io.qmpd.chardev;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.qapi.opts.QemuOpts;
import io.qmpd.qapi.opts.QemuOptsList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
    public static final QemuOptsList LIST = new QemuOptsList("chardev", "backend", Set.of(
            "backend", "id", "path", "host", "port", "fd", "to", "ipv4", "ipv6", "wait", "server", "nodelay",
            "reconnect", "reconnect-ms", "telnet", "tn3270", "websocket", "mux", "signal", "size", "append",
            "logfile", "logappend", "abstract", "tight", "input-path", "mode"));

    /** The keys QEMU's {@code chardev} list declares as booleans, numbers and sizes. */
    private static final Set<String> BOOLEANS = Set.of("ipv4", "ipv6", "wait", "server", "nodelay", "telnet",
            "tn3270", "websocket", "mux", "signal", "append", "logappend", "abstract", "tight");
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
     * The backend {@code opts} (already checked against {@link #LIST}) describe.
     *
     * @throws IllegalArgumentException QEMU's text for options that do not make a backend
     */
    public static ChardevOpts of(String id, QemuOpts opts) {
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
        String waitingOn = null;
        switch (backend) {
            case "null", "pty" -> { }
            case "stdio" -> {
                if (opts.has("signal")) {
                    data.put("signal", opts.bool("signal", true));
                }
            }
            case "ringbuf", "memory" -> opts.get("size").ifPresent(s -> data.put("size", size(s)));
            case "file" -> {
                data.put("out", opts.get("path").orElseThrow(
                        () -> new IllegalArgumentException("chardev: file: no filename given")));
                opts.get("input-path").ifPresent(v -> data.put("in", v));
                if (opts.has("append")) {
                    data.put("append", opts.bool("append", false));
                }
            }
            case "pipe" -> data.put("device", opts.get("path").orElseThrow(
                    () -> new IllegalArgumentException("chardev: pipe: no device path given")));
            case "socket" -> waitingOn = socket(opts, data);
            default -> throw new IllegalArgumentException("'" + backend + "' is not a valid char driver name");
        }
        ObjectNode spec = JSON.objectNode();
        spec.put("type", backend);
        spec.set("data", data);
        return new ChardevOpts(id, spec, waitingOn);
    }

    /** Returns the "waiting for connection" address when the socket listens with wait=on. */
    private static String socket(QemuOpts opts, ObjectNode data) {
        Optional<String> path = opts.get("path");
        Optional<String> host = opts.get("host");
        Optional<String> fd = opts.get("fd");
        int given = (path.isPresent() ? 1 : 0) + (host.isPresent() ? 1 : 0) + (fd.isPresent() ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("None or one of 'path', 'fd' or 'host' option required.");
        }
        ObjectNode addr = JSON.objectNode();
        ObjectNode a = addr.putObject("data");
        String where;
        if (path.isPresent()) {
            addr.put("type", "unix");
            a.put("path", path.get());
            for (String k : new String[] {"abstract", "tight"}) {
                if (opts.has(k)) {
                    a.put(k, opts.bool(k, false));
                }
            }
            where = "unix:" + path.get();
        } else if (host.isPresent()) {
            String port = opts.get("port").orElseThrow(
                    () -> new IllegalArgumentException("chardev: socket: no port given"));
            addr.put("type", "inet");
            a.put("host", host.get());
            a.put("port", port);
            opts.get("to").ifPresent(to -> a.put("to", number("to", to)));
            for (String k : new String[] {"ipv4", "ipv6"}) {
                if (opts.has(k)) {
                    a.put(k, opts.bool(k, false));
                }
            }
            where = "tcp:" + host.get() + ":" + port;
        } else {
            addr.put("type", "fd");
            a.put("str", fd.get());
            where = "fd:" + fd.get();
        }
        data.set("addr", addr);
        boolean server = opts.bool("server", false);
        boolean wait = opts.bool("wait", true);
        data.put("server", server);
        // QMP's default is not to wait, the command line's is to wait; a client has no wait,
        // and QEMU refuses one that is given at all
        if (server || opts.has("wait")) {
            data.put("wait", wait);
        }
        for (String k : new String[] {"nodelay", "telnet", "tn3270", "websocket"}) {
            if (opts.has(k)) {
                data.put(k, opts.bool(k, false));
            }
        }
        opts.get("reconnect").ifPresent(v -> data.put("reconnect", number("reconnect", v)));
        opts.get("reconnect-ms").ifPresent(v -> data.put("reconnect-ms", number("reconnect-ms", v)));
        opts.get("mode").ifPresent(v -> data.put("x-mode", mode(v))); // qmpd's own: socket file mode
        return server && wait ? where : null;
    }

    /** {@code mode=}: octal permission bits, checked here so the error names the option as written. */
    private static String mode(String v) {
        try {
            UnixSocketMode.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Parameter 'mode' expects an octal number between 0 and 0777");
        }
        return v;
    }

    private static long number(String key, String v) {
        try {
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Parameter '" + key + "' expects a number");
        }
    }

    /** QEMU's size syntax: a number with an optional K, M, G or T suffix (binary). */
    private static long size(String v) {
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
