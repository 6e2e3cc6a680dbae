package io.qmpd.io;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Structure;

/**
 * The C library's {@code poll(2)} on one descriptor, through JNA: for what Java's selectors do not
 * tell, a terminal's hang-up and a socket's peer gone entirely ({@code POLLHUP}, which a selector
 * folds into readiness to read).
 */
public final class Poll {

    public static final short POLLIN = 0x1;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int poll(PollFd fds, NativeLong count, int timeoutMillis) throws LastErrorException;
    }

    /** {@code struct pollfd}. */
    @Structure.FieldOrder({"fd", "events", "revents"})
    public static final class PollFd extends Structure {
        public int fd;
        public short events;
        public short revents;
    }

    private Poll() {}

    /**
     * Waits up to {@code timeoutMillis} for {@code events} on {@code fd}.
     *
     * @return the events that happened ({@code POLLHUP} and {@code POLLERR} always count), 0 if none
     * @throws LastErrorException the C library's error
     */
    public static short poll(int fd, short events, int timeoutMillis) {
        PollFd p = new PollFd();
        p.fd = fd;
        p.events = events;
        int ready = LibC.INSTANCE.poll(p, new NativeLong(1), timeoutMillis);
        return ready > 0 ? p.revents : 0;
    }

    /**
     * Whether the peer of socket {@code fd} has gone entirely, without reading: a unix socket whose
     * peer closed (not one that only shut down its sending side), or a socket in error.
     */
    public static boolean peerGone(int fd) {
        try {
            return (poll(fd, (short) 0, 0) & (POLLHUP | POLLERR)) != 0;
        } catch (LastErrorException e) {
            return false;
        }
    }
}
