package io.qmpd.chardev;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmpd.io.Errno;
import io.qmpd.qapi.QmpException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** QEMU's checks of {@code ChardevSocket} options that depend on each other, with its texts. */
final class SocketOptions {

    /** sun_path holds 107 bytes and a NUL. */
    private static final int UNIX_PATH_MAX = 108;

    private SocketOptions() {}

    static void validate(JsonNode data, String addrType, boolean server) {
        boolean reconnect = data.has("reconnect");
        boolean reconnectMs = data.has("reconnect-ms");
        if (reconnect && reconnectMs) {
            throw QmpException.generic("'reconnect' and 'reconnect-ms' are mutually exclusive");
        }
        String reconnectName = reconnectMs ? "reconnect-ms" : "reconnect";
        if ("fd".equals(addrType) && (reconnect || reconnectMs)) {
            throw QmpException.generic("'" + reconnectName + "' option is incompatible with 'fd' address type");
        }
        if (data.has("tls-creds")) {
            throw QmpException.generic("TLS is not supported by qmpd");
        }
        if (data.has("tls-authz")) {
            throw QmpException.generic("'tls_authz' option requires 'tls_creds' option");
        }
        if (server) {
            if (reconnect || reconnectMs) {
                throw QmpException.generic(
                        "'" + reconnectName + "' option is incompatible with socket in server listen mode");
            }
        } else {
            if (data.path("websocket").asBoolean(false)) {
                throw QmpException.generic("Websocket client is not implemented");
            }
            if (data.has("wait")) {
                throw QmpException.generic("'wait' option is incompatible with socket in client connect mode");
            }
        }
        for (String unsupported : new String[] {"telnet", "tn3270", "websocket"}) {
            if (data.path(unsupported).asBoolean(false)) {
                throw QmpException.generic("'" + unsupported + "' sockets are not supported by qmpd");
            }
        }
    }

    /**
     * qmpd's {@code x-mode} ({@code mode=} on the command line): the octal permission bits of a
     * listening unix socket's file; {@link UnixSocketMode#PRIVATE} without it.
     */
    static UnixSocketMode mode(JsonNode data, String addrType, boolean server) {
        JsonNode mode = data.get("x-mode");
        if (mode == null) {
            return UnixSocketMode.PRIVATE;
        }
        if (!server || !"unix".equals(addrType)) {
            throw QmpException.generic("'x-mode' applies only to a listening unix socket");
        }
        try {
            return UnixSocketMode.parse(mode.asText());
        } catch (IllegalArgumentException e) {
            throw QmpException.generic("'x-mode' " + e.getMessage().substring("mode ".length()));
        }
    }

    /** @param server whether the socket listens: a listening unix socket given no path gets a fresh one */
    static SocketAddress address(String type, JsonNode a, boolean server) {
        if ("unix".equals(type)) {
            if (a.path("abstract").asBoolean(false)) {
                throw QmpException.generic("abstract unix sockets are not supported by qmpd");
            }
            String path = a.path("path").asText();
            if (path.isEmpty() && server) {
                return new SocketAddress.Unix(SocketListen.freshPath());
            }
            if (path.getBytes(StandardCharsets.UTF_8).length >= UNIX_PATH_MAX) {
                throw QmpException.generic("UNIX socket path '" + path + "' is too long");
            }
            return new SocketAddress.Unix(Path.of(path));
        }
        String host = a.path("host").asText();
        String port = a.path("port").asText();
        // The C library's numeric service: blanks, an optional '+', decimal digits, taken modulo
        // 2^16 (a number past 2^64 saturates first); anything else is not a number, and QEMU has
        // no service names to look up here.
        Matcher digits = Pattern.compile("\\s*\\+?(\\d+)").matcher(port);
        if (!digits.matches()) {
            throw QmpException.generic(
                    "address resolution failed for " + host + ":" + port + ": Servname not supported for ai_socktype");
        }
        BigInteger value = new BigInteger(digits.group(1));
        int p = value.bitLength() > 64 ? 0xFFFF : value.intValue() & 0xFFFF;
        return new SocketAddress.Inet(host, p, port);
    }

    /** QEMU's listen failure texts. */
    static String bindFailure(SocketAddress sa, IOException e) {
        if (e instanceof SocketListen.UnlinkFailure) {
            return e.getMessage();
        }
        if (sa instanceof SocketAddress.Unix unix) {
            return "Failed to bind socket to " + unix.path() + ": " + Errno.text(e);
        }
        String m = String.valueOf(e.getMessage());
        String why = m.contains("in use") ? "Address already in use" : Errno.text(e);
        return "Failed to bind socket: " + why;
    }
}
