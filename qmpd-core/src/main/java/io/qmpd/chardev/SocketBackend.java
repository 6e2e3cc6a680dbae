package io.qmpd.chardev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.io.Descriptors;
import io.qmpd.qapi.QmpException;
import io.qmpd.qapi.opts.QemuOpts;
import java.io.FileDescriptor;
import java.io.IOException;
import java.util.Optional;

/** {@code socket}: unix or TCP, listening or connecting, or a socket passed as a descriptor. */
final class SocketBackend implements ChardevBackend {

    @Override
    public String name() {
        return "socket";
    }

    @Override
    public void parseOptions(QemuOpts opts, ObjectNode data) {
        Optional<String> path = opts.get("path");
        Optional<String> host = opts.get("host");
        Optional<String> fd = opts.get("fd");
        int given = (path.isPresent() ? 1 : 0) + (host.isPresent() ? 1 : 0) + (fd.isPresent() ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("None or one of 'path', 'fd' or 'host' option required.");
        }
        ObjectNode addr = data.putObject("addr");
        ObjectNode a = addr.putObject("data");
        if (path.isPresent()) {
            addr.put("type", "unix");
            a.put("path", path.get());
            copyBooleans(opts, a, "abstract", "tight");
        } else if (host.isPresent()) {
            String port =
                    opts.get("port").orElseThrow(() -> new IllegalArgumentException("chardev: socket: no port given"));
            addr.put("type", "inet");
            a.put("host", host.get());
            a.put("port", port);
            opts.get("to").ifPresent(to -> a.put("to", ChardevOpts.number("to", to)));
            copyBooleans(opts, a, "ipv4", "ipv6");
        } else {
            addr.put("type", "fd");
            a.put("str", fd.get());
        }
        boolean server = opts.bool("server", false);
        data.put("server", server);
        // QMP's default is not to wait, the command line's is to wait; a client has no wait,
        // and QEMU refuses one that is given at all
        if (server || opts.has("wait")) {
            data.put("wait", opts.bool("wait", true));
        }
        copyBooleans(opts, data, "nodelay", "telnet", "tn3270", "websocket");
        opts.get("reconnect").ifPresent(v -> data.put("reconnect", ChardevOpts.number("reconnect", v)));
        opts.get("reconnect-ms").ifPresent(v -> data.put("reconnect-ms", ChardevOpts.number("reconnect-ms", v)));
        opts.get("mode").ifPresent(v -> data.put("x-mode", mode(v))); // qmpd's own: socket file mode
    }

    private static void copyBooleans(QemuOpts opts, ObjectNode to, String... keys) {
        for (String k : keys) {
            if (opts.has(k)) {
                to.put(k, opts.bool(k, false));
            }
        }
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

    @Override
    public String waitsForClientAt(JsonNode data) {
        if (!data.path("server").asBoolean(false) || !data.path("wait").asBoolean(false)) {
            return null;
        }
        JsonNode a = data.path("addr").path("data");
        return switch (data.path("addr").path("type").asText()) {
            case "unix" -> "unix:" + a.path("path").asText();
            case "inet" ->
                "tcp:" + a.path("host").asText() + ":" + a.path("port").asText();
            default -> "fd:" + a.path("str").asText();
        };
    }

    /** A unix socket that listens: bind, listen, rename. TCP may need a name lookup; a client waits for its peer. */
    @Override
    public boolean createsAtOnce(JsonNode data) {
        return data.path("server").asBoolean(true)
                && "unix".equals(data.path("addr").path("type").asText());
    }

    @Override
    public Chardev create(String id, JsonNode data, ChardevContext context) throws IOException {
        JsonNode addr = data.path("addr");
        String addrType = addr.path("type").asText();
        JsonNode a = addr.path("data");
        boolean server = data.path("server").asBoolean(true);
        boolean nodelay = data.path("nodelay").asBoolean(false);
        SocketOptions.validate(data, addrType, server);
        UnixSocketMode mode = SocketOptions.mode(data, addrType, server);
        long reconnectMillis = data.has("reconnect-ms")
                ? data.get("reconnect-ms").asLong()
                : data.path("reconnect").asLong(0) * 1000;
        switch (addrType) {
            case "fd" -> {
                String name = a.path("str").asText();
                FileDescriptor fd = context.descriptor(name);
                try {
                    return server
                            ? SocketChardev.listenOn(id, context.loop(), Descriptors.adoptListener(fd), name)
                            : SocketChardev.adopt(id, context.loop(), Descriptors.adoptSocket(fd), name);
                } catch (IOException e) {
                    Descriptors.close(fd);
                    throw QmpException.generic("File descriptor '" + name + "' is not a socket");
                }
            }
            case "unix", "inet" -> {
                SocketAddress sa = SocketOptions.address(addrType, a, server);
                if (server) {
                    // wait: true is accepted but never blocks the dispatcher (docs/compat.md).
                    try {
                        return SocketChardev.listen(id, context.loop(), sa, nodelay, false, mode);
                    } catch (IOException e) {
                        throw QmpException.generic(SocketOptions.bindFailure(sa, e));
                    }
                }
                return SocketChardev.connect(id, context.loop(), sa, nodelay, reconnectMillis);
            }
            default -> throw QmpException.generic("'" + addrType + "' socket addresses are not supported by qmpd");
        }
    }
}
