package io.qmpd.io;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.NetworkChannel;
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
 * object, and its number, which {@link DescriptorReader} reads SCM_RIGHTS through), and a JDK
 * socket channel for a descriptor received that way. All of it needs
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}; without it {@link #available()} is false
 * and descriptors are simply never received. Stateless; any thread.
 */
public final class Descriptors {

    private static final Logger log = LoggerFactory.getLogger(Descriptors.class);
    private static final Method FD;
    /** {@code sun.nio.ch.SelChImpl.getFDVal()}, or null where unreachable. */
    private static final Method FD_VAL;

    private static final Constructor<?> SOCKET_CHANNEL;
    private static final Constructor<?> SERVER_CHANNEL;
    private static final Method REMOTE_ADDRESS;
    /** The JDK internals used, as named in {@link #unavailableReason()}. */
    static final String FD_MEMBER = "sun.nio.ch.SelChImpl.getFD()";

    static final String SOCKET_CHANNEL_MEMBER =
            "sun.nio.ch.SocketChannelImpl(SelectorProvider, ProtocolFamily," + " FileDescriptor, SocketAddress)";
    static final String REMOTE_ADDRESS_MEMBER = "sun.nio.ch.Net.remoteAddress(FileDescriptor)";
    static final String SERVER_CHANNEL_MEMBER =
            "sun.nio.ch.ServerSocketChannelImpl(SelectorProvider, ProtocolFamily," + " FileDescriptor, boolean)";
    /** Null when both members are reachable. */
    private static final String UNAVAILABLE;

    static {
        Method fd = null;
        Method fdVal = null;
        Constructor<?> ctor = null;
        Constructor<?> serverCtor = null;
        Method remote = null;
        String member = FD_MEMBER;
        String reason = null;
        try {
            Class<?> selCh = Class.forName("sun.nio.ch.SelChImpl");
            fd = selCh.getMethod("getFD");
            fd.setAccessible(true);
            fdVal = selCh.getMethod("getFDVal");
            fdVal.setAccessible(true);
            member = SOCKET_CHANNEL_MEMBER;
            Class<?> impl = Class.forName("sun.nio.ch.SocketChannelImpl");
            ctor = impl.getDeclaredConstructor(
                    SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class, SocketAddress.class);
            ctor.setAccessible(true);
            member = SERVER_CHANNEL_MEMBER;
            serverCtor = Class.forName("sun.nio.ch.ServerSocketChannelImpl")
                    .getDeclaredConstructor(
                            SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class, boolean.class);
            serverCtor.setAccessible(true);
            member = REMOTE_ADDRESS_MEMBER;
            remote = Class.forName("sun.nio.ch.Net").getDeclaredMethod("remoteAddress", FileDescriptor.class);
            remote.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            reason = "JDK " + Runtime.version() + ": " + member + " is unreachable (" + e
                    + "); descriptor passing needs it and --add-opens java.base/sun.nio.ch=ALL-UNNAMED";
            log.info("descriptor passing unavailable: {}", reason);
            fd = null;
            fdVal = null;
            ctor = null;
            serverCtor = null;
            remote = null;
        }
        FD = fd;
        FD_VAL = fdVal;
        SOCKET_CHANNEL = ctor;
        SERVER_CHANNEL = serverCtor;
        REMOTE_ADDRESS = remote;
        UNAVAILABLE = reason;
    }

    private Descriptors() {}

    /** Whether the JDK internals are reachable (the add-opens is in place). */
    public static boolean available() {
        return FD != null && SOCKET_CHANNEL != null && SERVER_CHANNEL != null && REMOTE_ADDRESS != null;
    }

    /**
     * Why descriptor passing is unavailable: the JDK version and the internal member that could
     * not be reached; empty when {@link #available()}.
     */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(UNAVAILABLE);
    }

    /** The number of the JDK channel's own descriptor, for {@link Poll} and {@link DescriptorReader}. */
    public static Optional<Integer> number(NetworkChannel channel) {
        if (FD_VAL == null || !FD_VAL.getDeclaringClass().isInstance(channel)) {
            return Optional.empty();
        }
        try {
            return Optional.of((Integer) FD_VAL.invoke(channel));
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    /** The JDK channel's own descriptor object (a socket, connected or listening). */
    public static Optional<FileDescriptor> fileDescriptor(NetworkChannel channel) {
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
     * A JDK channel, connected, owning a stream socket descriptor (unix or TCP) received with
     * SCM_RIGHTS or inherited, so that it can join the loop's selector.
     *
     * @throws IOException if the JDK internals are unreachable or the descriptor is no socket
     */
    public static SocketChannel adoptSocket(FileDescriptor fd) throws IOException {
        return (SocketChannel) adopt(SOCKET_CHANNEL, fd, false);
    }

    /** A JDK channel owning a listening socket descriptor, unix or TCP (inherited, or received with SCM_RIGHTS). */
    public static ServerSocketChannel adoptListener(FileDescriptor fd) throws IOException {
        return (ServerSocketChannel) adopt(SERVER_CHANNEL, fd, true);
    }

    /**
     * A JDK channel owning {@code fd}, whose family is not known: a unix socket, else an IP one
     * (the JDK's constructors read the local address, and fail for the other family). A connected
     * IP channel is told its peer, which the JDK would otherwise not know.
     */
    private static Object adopt(Constructor<?> kind, FileDescriptor fd, boolean listening) throws IOException {
        if (kind == null) {
            throw new IOException("descriptor passing is unavailable");
        }
        IOException failure = null;
        for (StandardProtocolFamily family : new StandardProtocolFamily[] {
            StandardProtocolFamily.UNIX, StandardProtocolFamily.INET6, StandardProtocolFamily.INET
        }) {
            try {
                Object last = listening
                        ? Boolean.TRUE
                        : family == StandardProtocolFamily.UNIX ? null : REMOTE_ADDRESS.invoke(null, fd);
                return kind.newInstance(SelectorProvider.provider(), family, fd, last);
            } catch (InvocationTargetException e) {
                failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IOException(e);
            }
        }
        throw failure;
    }

    /**
     * The descriptor a process inherited under {@code number} (QEMU's {@code fd=N} on its
     * command line), if it is open and a socket, as QEMU's {@code fd_is_socket} asks.
     */
    public static Optional<FileDescriptor> inheritedSocket(int number) {
        try {
            if (number < 0
                    || !Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(number)))
                            .toString()
                            .startsWith("socket:")) {
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
