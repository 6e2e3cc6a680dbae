package io.qmpd.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A run without monitor options: a QMP socket in a private directory ({@code $XDG_RUNTIME_DIR/qmpd},
 * else a fresh 0700 temporary directory), and the lines that tell a newcomer how to connect.
 *
 * @param dir       the directory of the socket
 * @param temporary whether qmpd created {@code dir} and removes it at exit
 */
record FirstRun(Path dir, Path socket, boolean temporary) {

    static FirstRun prepare(String runtimeDir, long pid) throws IOException {
        var mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        if (runtimeDir != null && !runtimeDir.isEmpty() && Files.isDirectory(Path.of(runtimeDir))) {
            Path dir = Path.of(runtimeDir, "qmpd");
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir, mode);
            }
            requirePrivate(dir);
            return new FirstRun(dir, dir.resolve("qmp-" + pid + ".sock"), false);
        }
        Path dir = Files.createTempDirectory("qmpd-", mode);
        return new FirstRun(dir, dir.resolve("qmp.sock"), true);
    }

    /**
     * A directory for sockets must be this user's alone, as tools that keep sockets in runtime
     * directories demand: another user's, or one others may enter, could hand the socket to them.
     *
     * @throws IOException saying what is wrong with it
     */
    static void requirePrivate(Path dir) throws IOException {
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Object me = Files.getAttribute(Path.of("/proc/self"), "unix:uid"); // owned by this process's user
        if (!a.isDirectory()
                || !owner.equals(me)
                || !PosixFilePermissions.toString(a.permissions()).substring(3).equals("------")) {
            throw new IOException(dir + " is not a private directory of this user ("
                    + (a.isDirectory()
                            ? "owner uid " + owner + ", mode " + PosixFilePermissions.toString(a.permissions())
                            : "not a directory")
                    + "); remove it, or make it yours with mode 0700");
        }
    }

    /** The {@code -chardev} argument of the socket. */
    String chardevArgument() {
        return "socket,id=qmp,path=" + socket.toString().replace(",", ",,") + ",server=on,wait=off";
    }

    /** What qmpd prints once the socket listens. */
    String banner(boolean hmpOnStdio) {
        return "qmpd: QMP monitor on " + socket + "\n"
                + "qmpd: connect with: socat - UNIX-CONNECT:" + socket + "   or: bin/qmp-shell " + socket + "\n"
                + (hmpOnStdio ? "qmpd: this terminal is an HMP monitor ('help', 'info monitors', 'quit')\n" : "");
    }

    void remove() {
        try {
            Files.deleteIfExists(socket);
            if (temporary) {
                try (Stream<Path> all = Files.walk(dir)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            // best effort at exit: the directory is private
        }
    }
}
