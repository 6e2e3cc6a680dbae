package io.qmpd.io;

import com.sun.jna.LastErrorException;
import java.io.IOException;

/**
 * Writes a byte array to a connected socket by descriptor number with libc's {@code send}, without
 * waiting. An event goes to every monitor's socket in turn, and on a virtual machine the JDK's
 * channel write (its locks, the copy into a temporary direct buffer) cost a third as much as the
 * system call itself (docs/performance.md, "Fan-out"). The caller owns the descriptor and must
 * not let it be closed during the call.
 */
public final class SocketSend {

    private static final int MSG_DONTWAIT = 0x40;
    /** A client gone gets EPIPE, not the process a SIGPIPE. */
    private static final int MSG_NOSIGNAL = 0x4000;

    private SocketSend() {}

    /** Whether {@link #send} can be called here: libc's {@code send} is bound (binding it now). */
    public static boolean available() {
        return DescriptorReader.unavailableReason().isEmpty() && Libc.bound();
    }

    /**
     * Sends what the socket takes of {@code bytes} now: the number of bytes taken, 0 when its
     * buffer is full.
     *
     * @throws IOException the socket is broken (the client is gone)
     */
    public static int send(int socket, byte[] bytes) throws IOException {
        while (true) {
            try {
                return (int) Libc.send(socket, bytes, bytes.length, MSG_DONTWAIT | MSG_NOSIGNAL);
            } catch (LastErrorException e) {
                if (!Libc.retry("send", e)) {
                    return 0;
                }
            }
        }
    }
}
