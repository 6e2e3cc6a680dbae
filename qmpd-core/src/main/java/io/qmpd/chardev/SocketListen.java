package io.qmpd.chardev;

import io.qmpd.io.Errno;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Binds the listening socket of a server-mode socket chardev. A unix socket file gets its
 * {@link UnixSocketMode} before anyone else can connect, and appears at its path only once it
 * listens. In a directory that only qmpd's user can enter (owned by that user, no search bit for
 * group or others, as {@code $XDG_RUNTIME_DIR} or a {@code mktemp -d}), nobody else can reach it,
 * so it is bound under a temporary name beside its path, given its mode and renamed into place.
 * Elsewhere the same happens inside a fresh private (0700) directory next to its final path.
 * Only when that detour would exceed sun_path is it bound in place and its mode set right after.
 */
final class SocketListen {

    private static final int UNIX_PATH_MAX = 108;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    /** Numbers the temporary names of sockets bound in a private directory. */
    private static final AtomicLong bindSeq = new AtomicLong();
    /** This process's uid, read once. */
    private static volatile Object uid;

    private SocketListen() {}

    /** The stale file at a socket's path could not be removed: QEMU's {@code Failed to unlink socket}. */
    static final class UnlinkFailure extends IOException {
        UnlinkFailure(Path path, String why) {
            super("Failed to unlink socket " + path + ": " + why);
        }
    }

    /**
     * A server socket given no path gets a fresh one in the temporary directory, named as QEMU
     * names it ({@code $TMPDIR/qemu-socket-XXXXXX}).
     */
    static Path freshPath() {
        String tmp = System.getenv().getOrDefault("TMPDIR", "/tmp");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        Random random = new SecureRandom();
        while (true) {
            StringBuilder name = new StringBuilder("qemu-socket-");
            for (int i = 0; i < 6; i++) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            Path path = Path.of(tmp, name.toString());
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                return path;
            }
        }
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
        // QEMU unlinks a stale socket file before binding; unlink(2) never removes a directory.
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnlinkFailure(path, "Is a directory");
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UnlinkFailure(path, Errno.text(e));
        }
        Path parent = path.toAbsolutePath().getParent();
        boolean roomForDetour =
                parent != null && parent.toString().getBytes(StandardCharsets.UTF_8).length + 40 < UNIX_PATH_MAX;
        Path staging = null;
        Path bindAt = path;
        if (roomForDetour && isPrivateDirectory(parent)) {
            bindAt = parent.resolve(".qmpd-" + ProcessHandle.current().pid() + "-" + bindSeq.incrementAndGet());
            Files.deleteIfExists(bindAt); // left by a crashed process of the same pid
        } else if (roomForDetour && Files.isDirectory(parent)) {
            try {
                staging = Files.createTempDirectory(parent, ".qmpd");
                bindAt = staging.resolve("s");
            } catch (IOException e) {
                staging = null; // no write access to the parent: binding in place fails with QEMU's text
            }
        }
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX); // may fail: no descriptor free
            // Bound elsewhere, the socket appears at its path only once it listens with its mode:
            // a client polling for the path is never refused.
            server.bind(UnixDomainSocketAddress.of(bindAt), 1);
            Files.setPosixFilePermissions(bindAt, mode.permissions());
            if (bindAt != path) {
                Files.move(bindAt, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            if (bindAt != path) {
                Files.deleteIfExists(bindAt);
            }
            throw e;
        } finally {
            if (staging != null) {
                Files.deleteIfExists(staging);
            }
        }
        return server;
    }

    /**
     * Whether only this process's user (and root) can enter {@code dir}: it is owned by that user
     * and has no search bit for group or others. There a temporary name does what the staging
     * directory does elsewhere, without its mkdir and rmdir (most of a chardev-add's cost in churn,
     * docs/performance.md).
     */
    static boolean isPrivateDirectory(Path dir) {
        try {
            Map<String, Object> attrs = Files.readAttributes(dir, "unix:uid,mode");
            int mode = (Integer) attrs.get("mode");
            return (mode & S_IFMT) == S_IFDIR
                    && (mode & 0011) == 0
                    && attrs.get("uid").equals(processUid());
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
