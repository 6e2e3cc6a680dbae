package io.qmpd.io;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.channels.Pipe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two socket calls of libc that qmpd makes on a JDK channel's own descriptor, through JNA's
 * direct mapping: {@code recvmsg} to receive descriptors ({@link DescriptorReader}) and {@code
 * send} to write one array without the channel's locks and copy ({@link SocketSend}). Bound when
 * first needed: binding costs tens of milliseconds.
 */
final class Libc {

    private static final Logger log = LoggerFactory.getLogger(Libc.class);

    private static final int EINTR = 4;
    private static final int EAGAIN = 11;

    private static final boolean BOUND = bind();

    private Libc() {}

    private static boolean bind() {
        try {
            Native.register(Libc.class, "c");
        } catch (LinkageError | RuntimeException e) {
            log.warn("libc's recvmsg and send cannot be bound: descriptor passing is unavailable", e);
            return false;
        }
        initializeJdkDispatcher();
        return true;
    }

    /**
     * The JDK sets up its native file dispatcher at the first channel operation that needs it,
     * and that set-up opens two descriptors. Reads and writes go past it here, so its first use
     * could be the close of a socket at a moment no descriptor is free: the set-up would fail for
     * good, and the event loop with it. A pipe opened and closed now sets it up.
     */
    private static void initializeJdkDispatcher() {
        try {
            Pipe pipe = Pipe.open();
            try {
                pipe.sink().close();
            } finally {
                pipe.source().close();
            }
        } catch (IOException e) {
            log.warn("cannot open a pipe to prepare the JDK's channel closing", e);
        }
    }

    /**
     * What a failed call's error means for its caller: true for EINTR (call again), false for
     * EAGAIN (nothing to read, or no room to write: the non-blocking call's 0).
     *
     * @throws IOException any other error, as {@code call: message}
     */
    static boolean retry(String call, LastErrorException e) throws IOException {
        if (e.getErrorCode() == EAGAIN) {
            return false;
        }
        if (e.getErrorCode() != EINTR) {
            throw new IOException(call + ": " + e.getMessage(), e);
        }
        return true;
    }

    /** Whether the calls can be made; binds them at the first call. */
    static boolean bound() {
        return BOUND;
    }

    static native long recvmsg(int socket, Pointer message, int flags) throws LastErrorException;

    static native long send(int socket, byte[] bytes, long length, int flags) throws LastErrorException;
}
