package io.qmpd.daemon;

import io.qmpd.io.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code -pidfile}, as QEMU keeps it: opened and locked (a POSIX record lock, the one QEMU's
 * {@code lockf} takes, so qmpd and QEMU exclude each other too) before anything else is created,
 * then the pid is written into it; the lock is held until the file is removed at exit. A second
 * process given the same file fails to start.
 */
final class Pidfile {

    private final Path path;
    private final FileChannel channel;

    private Pidfile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** @throws OptionException {@code cannot create PID file: Cannot lock pid file: ...}, and the like */
    static Pidfile create(Path path) throws OptionException {
        FileChannel channel;
        try {
            channel = FileChannel.open(
                    path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw failure("Cannot open pid file: " + Errno.text(e));
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this very process holds it already
            }
            if (lock == null) {
                throw failure("Cannot lock pid file: Resource temporarily unavailable");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            return new Pidfile(path, channel);
        } catch (IOException e) {
            close(channel);
            throw failure("Failed to write pid file: " + Errno.text(e));
        } catch (OptionException e) {
            close(channel);
            throw e;
        }
    }

    /** QEMU's line names no option. */
    private static OptionException failure(String reason) {
        return new OptionException(null, null, "cannot create PID file: " + reason);
    }

    /** Removes the file, then lets the lock go (closing the file releases it). */
    void remove() throws IOException {
        try {
            Files.deleteIfExists(path);
        } finally {
            close(channel);
        }
    }

    Path path() {
        return path;
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing is left to do with a pid file that does not close; the process is ending
        }
    }
}
