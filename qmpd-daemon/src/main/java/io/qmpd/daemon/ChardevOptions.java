package io.qmpd.daemon;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.Set;

/**
 * {@code -chardev BACKEND,id=ID,...} turned into the QAPI {@code ChardevBackend} that QMP's
 * {@code chardev-add} takes (QEMU's {@code qemu_chr_parse_*} per backend), with QEMU's texts for
 * what the command line itself gets wrong. Whether the backend can be opened is the factory's
 * business at creation time.
 */
final class ChardevOptions {

    static final QemuOptsList LIST = new QemuOptsList("chardev", "backend", Set.of(
            "backend", "id", "path", "host", "port", "fd", "to", "ipv4", "ipv6", "wait", "server", "nodelay",
            "reconnect", "reconnect-ms", "telnet", "tn3270", "websocket", "mux", "signal", "size", "append",
            "logfile", "logappend", "abstract", "tight", "input-path", "mode"));

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ChardevOptions() {
    }

    /** The spec for {@code opts} (already checked against {@link #LIST}); {@code id} is present. */
    static ChardevSpec toSpec(String id, QemuOpts opts, String written) {
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
        return new ChardevSpec(id, spec, waitingOn, written);
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
            opts.get("to").ifPresent(to -> a.put("to", Integer.parseInt(to)));
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
        data.put("wait", wait);
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
            io.qmpd.chardev.UnixSocketMode.parse(v);
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
