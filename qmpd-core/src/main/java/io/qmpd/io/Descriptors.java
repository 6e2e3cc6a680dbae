package io.qmpd.io;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.newsclub.net.unix.FileDescriptorCast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place qmpd touches JDK internals (ADR 5): the descriptor of a JDK socket channel (its
 * object, and a duplicate that {@link DescriptorReader} reads SCM_RIGHTS through),
 * and a JDK socket channel for a descriptor received that way. All of it needs
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}; without it {@link #available()} is false
 * and descriptors are simply never received. Stateless; any thread.
 */
public final class Descriptors {

    private static final Logger log = LoggerFactory.getLogger(Descriptors.class);
    private static final Method FD;
    private static final Constructor<?> SOCKET_CHANNEL;
    private static final Constructor<?> SERVER_CHANNEL;
    /** The JDK internals used, as named in {@link #unavailableReason()}. */
    static final String FD_MEMBER = "sun.nio.ch.SelChImpl.getFD()";
    static final String SOCKET_CHANNEL_MEMBER = "sun.nio.ch.SocketChannelImpl(SelectorProvider, ProtocolFamily,"
            + " FileDescriptor, SocketAddress)";
    static final String SERVER_CHANNEL_MEMBER = "sun.nio.ch.ServerSocketChannelImpl(SelectorProvider, ProtocolFamily,"
            + " FileDescriptor, boolean)";
    /** Null when both members are reachable. */
    private static final String UNAVAILABLE;

    static {
        Method fd = null;
        Constructor<?> ctor = null;
        Constructor<?> serverCtor = null;
        String member = FD_MEMBER;
        String reason = null;
        try {
            Class<?> selCh = Class.forName("sun.nio.ch.SelChImpl");
            fd = selCh.getMethod("getFD");
            fd.setAccessible(true);
            member = SOCKET_CHANNEL_MEMBER;
            Class<?> impl = Class.forName("sun.nio.ch.SocketChannelImpl");
            ctor = impl.getDeclaredConstructor(SelectorProvider.class, java.net.ProtocolFamily.class,
                    FileDescriptor.class, java.net.SocketAddress.class);
            ctor.setAccessible(true);
            member = SERVER_CHANNEL_MEMBER;
            serverCtor = Class.forName("sun.nio.ch.ServerSocketChannelImpl").getDeclaredConstructor(
                    SelectorProvider.class, java.net.ProtocolFamily.class, FileDescriptor.class, boolean.class);
            serverCtor.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            reason = "JDK " + Runtime.version() + ": " + member + " is unreachable (" + e
                    + "); descriptor passing needs it and --add-opens java.base/sun.nio.ch=ALL-UNNAMED";
            log.info("descriptor passing unavailable: {}", reason);
            fd = null;
            ctor = null;
            serverCtor = null;
        }
        FD = fd;
        SOCKET_CHANNEL = ctor;
        SERVER_CHANNEL = serverCtor;
        UNAVAILABLE = reason;
    }

    private Descriptors() {
    }

    /** Whether the JDK internals are reachable (the add-opens is in place). */
    public static boolean available() {
        return FD != null && SOCKET_CHANNEL != null && SERVER_CHANNEL != null;
    }

    /**
     * Why descriptor passing is unavailable: the JDK version and the internal member that could
     * not be reached; empty when {@link #available()}.
     */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(UNAVAILABLE);
    }

    /**
     * A duplicate (dup(2)) of a JDK channel's descriptor, for {@link DescriptorReader#read}; the
     * caller owns it and closes it with {@link #close} together with the channel. (junixsocket
     * closes the descriptor it reads from when the peer resets the connection: the channel's own
     * number would be closed under the JDK, reused by the next socket, and closed again by the
     * channel's own close later.)
     */
    public static Optional<FileDescriptor> duplicate(SocketChannel channel) {
        Optional<FileDescriptor> own = fileDescriptor(channel);
        if (own.isEmpty()) {
            return own;
        }
        try {
            return Optional.of(FileDescriptorCast.duplicating(own.get()).getFileDescriptor());
        } catch (IOException e) {
            log.debug("no duplicate of a channel's descriptor", e);
            return Optional.empty();
        }
    }

    /** The JDK channel's own descriptor object. */
    public static Optional<FileDescriptor> fileDescriptor(SocketChannel channel) {
        if (FD == null || !FD.getDeclaringClass().isInstance(channel)) {
            return Optional.empty();
        }
        try {
            return Optional.of((FileDescriptor) FD.invoke(channel));
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * A JDK channel, connected, owning a unix stream socket descriptor received with SCM_RIGHTS,
     * so that it can join the loop's selector.
     *
     * @throws IOException if the JDK internals are unreachable or the descriptor is no socket
     */
    public static SocketChannel adoptUnixSocket(FileDescriptor fd) throws IOException {
        if (SOCKET_CHANNEL == null) {
            throw new IOException("descriptor passing is unavailable");
        }
        try {
            return (SocketChannel) SOCKET_CHANNEL.newInstance(SelectorProvider.provider(), StandardProtocolFamily.UNIX,
                    fd, null);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IOException(e);
        }
    }

    /** A JDK channel owning a listening unix socket descriptor (inherited, or received with SCM_RIGHTS). */
    public static ServerSocketChannel adoptUnixListener(FileDescriptor fd) throws IOException {
        if (SERVER_CHANNEL == null) {
            throw new IOException("descriptor passing is unavailable");
        }
        try {
            return (ServerSocketChannel) SERVER_CHANNEL.newInstance(SelectorProvider.provider(),
                    StandardProtocolFamily.UNIX, fd, true);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IOException(e);
        }
    }

    /**
     * The descriptor a process inherited under {@code number} (QEMU's {@code fd=N} on its
     * command line), if it is open and a socket, as QEMU's {@code fd_is_socket} asks.
     */
    public static Optional<FileDescriptor> inheritedSocket(int number) {
        try {
            if (number < 0 || !Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(number)))
                    .toString().startsWith("socket:")) {
                return Optional.empty();
            }
            return Optional.of(FileDescriptorCast.unsafeUsing(number).getFileDescriptor());
        } catch (IOException e) {
            return Optional.empty(); // not open
        }
    }

    /** Closes a descriptor that nothing else owns. */
    public static void close(FileDescriptor fd) {
        if (fd == null || !fd.valid()) {
            return;
        }
        try {
            new FileInputStream(fd).close();
        } catch (IOException e) {
            log.debug("closing a received descriptor", e);
        }
    }
}
