package io.qmpd.io;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a unix stream socket with recvmsg(2), keeping the descriptors that arrive with the bytes
 * (SCM_RIGHTS). It calls junixsocket's native receive on a duplicate of the JDK channel's
 * descriptor (ADR 5, amendment): no junixsocket socket object is made per connection. One reader
 * serves every socket of an event loop; the descriptors of a read are taken with
 * {@link #takeReceived()} before the next read. Loop thread only.
 *
 * <p>The members it calls are junixsocket's internals, as of the version the parent pom pins
 * ({@code junixsocket.version}): its public socket API would cost a socket object per connection
 * and caps the control buffer at 256 bytes. {@code DescriptorReaderTest} names the version and the
 * member when one moves. On an upgrade: run it; if a member moved, find its new name in
 * junixsocket's {@code NativeUnixSocket} and {@code AncillaryDataSupport}, or, if the public
 * setter stopped capping, use the public API instead of these handles.
 */
public final class DescriptorReader {

    private static final Logger log = LoggerFactory.getLogger(DescriptorReader.class);
    /** The junixsocket members used, as named in {@link #unavailableReason()}. */
    static final String RECEIVE_MEMBER = "org.newsclub.net.unix.NativeUnixSocket.receive(FileDescriptor, ByteBuffer,"
            + " int, int, ByteBuffer, int, AncillaryDataSupport, int)";
    /** junixsocket's OPT_NON_BLOCKING: answer at once when nothing is there. */
    private static final int NON_BLOCKING = 4;
    /**
     * Room for the most descriptors one message can carry (the kernel's SCM_MAX_FD, 253): a
     * smaller buffer truncates the control data, and junixsocket then fails the read with
     * ENOBUFS, the descriptors that did fit lost to us but still open.
     */
    private static final int ANCILLARY_BYTES = 4096;

    private static final FileDescriptor[] NONE = new FileDescriptor[0];

    /** (FileDescriptor, ByteBuffer, int offset, int length, ByteBuffer address, int options, support, int timeout) int */
    private static final MethodHandle RECEIVE;

    private static final MethodHandle NEW_SUPPORT;
    private static final MethodHandle SET_ANCILLARY_SIZE;
    private static final MethodHandle TAKE_RECEIVED;
    /** Null when every member is reachable and junixsocket's native library is loaded. */
    private static final String UNAVAILABLE;

    static {
        MethodHandle receive = null;
        MethodHandle newSupport = null;
        MethodHandle setSize = null;
        MethodHandle take = null;
        String reason = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> nativeSocket = Class.forName("org.newsclub.net.unix.NativeUnixSocket");
            Method loaded = nativeSocket.getDeclaredMethod("isLoaded");
            loaded.setAccessible(true);
            if (!(boolean) loaded.invoke(null)) {
                throw new IllegalStateException("junixsocket's native library is not loaded");
            }
            Class<?> support = Class.forName("org.newsclub.net.unix.AncillaryDataSupport");
            Method receiveMethod = nativeSocket.getDeclaredMethod(
                    "receive",
                    FileDescriptor.class,
                    ByteBuffer.class,
                    int.class,
                    int.class,
                    ByteBuffer.class,
                    int.class,
                    support,
                    int.class);
            receiveMethod.setAccessible(true);
            receive = lookup.unreflect(receiveMethod)
                    .asType(MethodType.methodType(
                            int.class,
                            FileDescriptor.class,
                            ByteBuffer.class,
                            int.class,
                            int.class,
                            ByteBuffer.class,
                            int.class,
                            Object.class,
                            int.class));
            Constructor<?> ctor = support.getDeclaredConstructor();
            ctor.setAccessible(true);
            newSupport = lookup.unreflectConstructor(ctor).asType(MethodType.methodType(Object.class));
            // the setter without the "0" caps the buffer at 256 bytes (60 descriptors)
            setSize = accessible(lookup, support, "setAncillaryReceiveBufferSize0", int.class)
                    .asType(MethodType.methodType(void.class, Object.class, int.class));
            take = accessible(lookup, support, "getReceivedFileDescriptors")
                    .asType(MethodType.methodType(FileDescriptor[].class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            reason = "junixsocket: " + RECEIVE_MEMBER + " is unreachable (" + e + ")";
            log.info("descriptor passing unavailable: {}", reason);
            receive = null;
        }
        RECEIVE = receive;
        NEW_SUPPORT = newSupport;
        SET_ANCILLARY_SIZE = setSize;
        TAKE_RECEIVED = take;
        UNAVAILABLE = reason;
    }

    private static MethodHandle accessible(MethodHandles.Lookup lookup, Class<?> owner, String name, Class<?>... params)
            throws ReflectiveOperationException {
        Method m = owner.getDeclaredMethod(name, params);
        m.setAccessible(true);
        return lookup.unreflect(m);
    }

    /** junixsocket's AncillaryDataSupport: the control buffer, and the descriptors of the last reads. */
    private final Object support;

    private DescriptorReader(Object support) {
        this.support = support;
    }

    /** A reader, when junixsocket's native receive is reachable. */
    public static Optional<DescriptorReader> create() {
        if (RECEIVE == null) {
            return Optional.empty();
        }
        try {
            Object support = NEW_SUPPORT.invokeExact();
            SET_ANCILLARY_SIZE.invokeExact(support, ANCILLARY_BYTES);
            return Optional.of(new DescriptorReader(support));
        } catch (Throwable e) {
            log.info("descriptor passing unavailable", e);
            return Optional.empty();
        }
    }

    /** Why no reader can be made: the junixsocket member that could not be reached; empty otherwise. */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(UNAVAILABLE);
    }

    /**
     * Reads what is there into {@code buf} (direct) without waiting, as {@code SocketChannel.read}
     * would: the number of bytes, 0 when nothing is there, -1 at end of stream. When the peer has
     * reset the connection, junixsocket closes {@code socket} (and invalidates it) before it
     * throws: pass a descriptor of your own ({@link Descriptors#duplicate}), never a channel's.
     */
    public int read(FileDescriptor socket, ByteBuffer buf) throws IOException {
        if (!buf.isDirect()) {
            throw new IllegalArgumentException("recvmsg needs a direct buffer");
        }
        int position = buf.position();
        int n;
        try {
            n = (int) RECEIVE.invokeExact(
                    socket, buf, position, buf.remaining(), (ByteBuffer) null, NON_BLOCKING, support, 0);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException(e);
        }
        if (n > 0) {
            buf.position(position + n);
        }
        return n;
    }

    /** The descriptors that came with the reads since the last call, oldest first; now the caller's. */
    public FileDescriptor[] takeReceived() {
        try {
            FileDescriptor[] fds = (FileDescriptor[]) TAKE_RECEIVED.invokeExact(support);
            return fds == null ? NONE : fds;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
