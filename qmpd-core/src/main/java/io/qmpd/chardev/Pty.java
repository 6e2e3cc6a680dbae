package io.qmpd.chardev;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.qmpd.io.Poll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pseudo-terminal's master side, opened through libc with JNA: {@code posix_openpt},
 * {@code grantpt}, {@code unlockpt}, {@code ptsname_r}, raw mode, then non-blocking {@code read}
 * and {@code write} after {@code poll}. The slave ({@code /dev/pts/N}) is for whoever opens it, as
 * with QEMU's {@code pty} backend: while nobody has it open the master sees a hang-up, and what
 * is written meanwhile is discarded, as QEMU discards it. Someone opening the slave is noticed
 * within {@value #POLL_MILLIS} ms (QEMU looks every second).
 */
final class Pty implements AutoCloseable {

    /** How long a read waits before it looks whether the pty was closed. */
    private static final int POLL_MILLIS = 100;

    private static final int O_RDWR = 0x2;
    private static final int O_NOCTTY = 0x100;
    private static final int O_NONBLOCK = 0x800;
    private static final int F_SETFL = 4;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int TCSANOW = 0;
    /** Room for glibc's {@code struct termios} (60 bytes on Linux), which JNA passes as a buffer. */
    private static final int TERMIOS_SIZE = 128;

    /** The libc functions the pty uses; each sets errno, which JNA turns into {@link LastErrorException}. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int posix_openpt(int flags) throws LastErrorException;

        int grantpt(int fd) throws LastErrorException;

        int unlockpt(int fd) throws LastErrorException;

        int ptsname_r(int fd, byte[] buf, NativeLong length);

        int fcntl(int fd, int cmd, int arg) throws LastErrorException;

        int tcgetattr(int fd, byte[] termios) throws LastErrorException;

        void cfmakeraw(byte[] termios);

        int tcsetattr(int fd, int when, byte[] termios) throws LastErrorException;

        NativeLong read(int fd, byte[] buf, NativeLong count) throws LastErrorException;

        NativeLong write(int fd, byte[] buf, NativeLong count) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private final int master;
    private final String path;
    /** Held by a read in progress: close waits for it, so the descriptor is never reused under it. */
    private final ReentrantLock reading = new ReentrantLock();

    private volatile boolean connected;
    private volatile boolean closed;
    /** Guarded by {@link #reading}: the master descriptor was closed. */
    private boolean released;

    private Pty(int master, String path) {
        this.master = master;
        this.path = path;
    }

    /**
     * Opens a new pseudo-terminal.
     *
     * @throws IOException with the C library's reason
     */
    static Pty open() throws IOException {
        LibC c = LibC.INSTANCE;
        int fd;
        try {
            fd = c.posix_openpt(O_RDWR | O_NOCTTY);
        } catch (LastErrorException e) {
            throw new IOException("Failed to create PTY: " + e.getMessage(), e);
        }
        try {
            c.grantpt(fd);
            c.unlockpt(fd);
            byte[] name = new byte[128];
            int err = c.ptsname_r(fd, name, new NativeLong(name.length));
            if (err != 0) {
                throw new IOException("Failed to create PTY: ptsname_r failed (" + err + ")");
            }
            // raw, as QEMU makes it: no echo, no line editing, bytes through unchanged
            byte[] termios = new byte[TERMIOS_SIZE];
            c.tcgetattr(fd, termios);
            c.cfmakeraw(termios);
            c.tcsetattr(fd, TCSANOW, termios);
            c.fcntl(fd, F_SETFL, O_RDWR | O_NONBLOCK);
            int end = 0;
            while (end < name.length && name[end] != 0) {
                end++;
            }
            return new Pty(fd, new String(name, 0, end, StandardCharsets.US_ASCII));
        } catch (LastErrorException | IOException e) {
            c.close(fd);
            throw e instanceof IOException io ? io : new IOException("Failed to create PTY: " + e.getMessage(), e);
        }
    }

    /** The slave's path, {@code /dev/pts/N}. */
    String path() {
        return path;
    }

    /** Whether someone has the slave open (as the last read found). */
    boolean connected() {
        return connected;
    }

    /**
     * Waits for input and reads it into {@code buf}: the count, or -1 once closed. While nobody has
     * the slave open it waits; {@code onConnection} hears each change of {@link #connected()}.
     */
    int read(byte[] buf, Runnable onConnection) throws IOException {
        reading.lock();
        try {
            while (!closed) {
                short events = Poll.poll(master, Poll.POLLIN, POLL_MILLIS);
                if ((events & Poll.POLLIN) != 0) {
                    int n = readOnce(buf);
                    if (n > 0) {
                        setConnected(true, onConnection);
                        return n;
                    }
                } else if ((events & Poll.POLLHUP) != 0) {
                    setConnected(false, onConnection);
                    pause(); // a hang-up is reported at once, again and again: look again later
                } else if (events == 0) {
                    setConnected(true, onConnection); // no hang-up: someone has the slave open
                }
            }
            return -1;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EINTR) {
                return 0;
            }
            throw new IOException("pty read: " + e.getMessage(), e);
        } finally {
            reading.unlock();
        }
    }

    /** A read of what poll announced: 0 when nothing came after all, or the slave hung up (EIO). */
    private int readOnce(byte[] buf) {
        try {
            return LibC.INSTANCE.read(master, buf, new NativeLong(buf.length)).intValue();
        } catch (LastErrorException e) {
            if (e.getErrorCode() != EAGAIN) {
                connected = false;
            }
            return 0;
        }
    }

    private void setConnected(boolean now, Runnable onConnection) {
        if (connected != now) {
            connected = now;
            onConnection.run();
        }
    }

    private void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Writes what the terminal takes now; the rest, and everything while nobody is connected, is discarded. */
    void write(byte[] bytes) {
        int off = 0;
        while (connected && !closed && off < bytes.length) {
            byte[] rest = off == 0 ? bytes : Arrays.copyOfRange(bytes, off, bytes.length);
            try {
                int n = LibC.INSTANCE
                        .write(master, rest, new NativeLong(rest.length))
                        .intValue();
                if (n <= 0) {
                    return;
                }
                off += n;
            } catch (LastErrorException e) {
                return; // EAGAIN: the terminal's buffer is full; EIO: the slave hung up
            }
        }
    }

    /** Closes the master once no read is in progress (a read notices within {@value #POLL_MILLIS} ms). */
    @Override
    public void close() {
        closed = true;
        reading.lock();
        try {
            if (!released) {
                released = true;
                LibC.INSTANCE.close(master);
            }
        } catch (LastErrorException e) {
            // already gone: nothing to release
        } finally {
            reading.unlock();
        }
    }
}
