package io.qmpd.chardev;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Binds the listening socket of a server-mode socket chardev. A unix socket file gets its
 * {@link UnixSocketMode} before anyone else can connect. In a directory that only qmpd's user can
 * enter (owned by that user, no search bit for group or others, as {@code $XDG_RUNTIME_DIR} or a
 * {@code mktemp -d}), nobody else can reach the path, so the socket is bound in place and its mode
 * set right after. Elsewhere it is bound inside a fresh private (0700) directory next to its final
 * path, given its mode, then renamed into place; only when that detour would exceed sun_path is it
 * bound in place there too.
 */
final class SocketListen {

    private static final int UNIX_PATH_MAX = 108;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    /** This process's uid, read once. */
    private static volatile Object uid;

    private SocketListen() {
    }

    static ServerSocketChannel bind(SocketAddress address, UnixSocketMode mode) throws IOException {
        if (address instanceof SocketAddress.Unix unix) {
            return bindUnix(unix.path(), mode);
        }
        SocketAddress.Inet inet = (SocketAddress.Inet) address;
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(inet.host(), inet.port()), 1);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static ServerSocketChannel bindUnix(Path path, UnixSocketMode mode) throws IOException {
        // QEMU unlinks a stale socket file before binding.
        Files.deleteIfExists(path);
        Path parent = path.toAbsolutePath().getParent();
        Path staging = null;
        if (parent != null && !isPrivateDirectory(parent) && Files.isDirectory(parent)
                && parent.toString().getBytes(StandardCharsets.UTF_8).length + 40 < UNIX_PATH_MAX) {
            try {
                staging = Files.createTempDirectory(parent, ".qmpd");
            } catch (IOException e) {
                staging = null; // no write access to the parent: binding in place fails with QEMU's text
            }
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            if (staging == null) {
                server.bind(UnixDomainSocketAddress.of(path), 1);
                Files.setPosixFilePermissions(path, mode.permissions());
            } else {
                Path inside = staging.resolve("s");
                server.bind(UnixDomainSocketAddress.of(inside), 1);
                Files.setPosixFilePermissions(inside, mode.permissions());
                Files.move(inside, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        } finally {
            if (staging != null) {
                Files.deleteIfExists(staging.resolve("s"));
                Files.deleteIfExists(staging);
            }
        }
        return server;
    }

    /**
     * Whether only this process's user (and root) can enter {@code dir}: it is owned by that user
     * and has no search bit for group or others. One stat instead of the staging directory's
     * mkdir, rename and rmdir, which made most of a chardev-add's cost (docs/performance.md, churn).
     */
    static boolean isPrivateDirectory(Path dir) {
        try {
            Map<String, Object> attrs = Files.readAttributes(dir, "unix:uid,mode");
            int mode = (Integer) attrs.get("mode");
            return (mode & S_IFMT) == S_IFDIR && (mode & 0011) == 0 && attrs.get("uid").equals(processUid());
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false; // unknown: take the detour
        }
    }

    /** The uid this process runs as: the owner of {@code /proc/self}. */
    private static Object processUid() throws IOException {
        Object u = uid;
        if (u == null) {
            u = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            uid = u;
        }
        return u;
    }
}
