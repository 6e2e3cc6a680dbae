package io.qmpd.io;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.newsclub.net.unix.FileDescriptorCast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a unix stream socket with recvmsg(2), keeping the descriptors that arrive with the bytes
 * (SCM_RIGHTS). It reads the JDK channel's own descriptor by number, through libc (JNA), so a
 * connection costs no second descriptor and no object of its own (ADR 5, second amendment). One
 * reader serves every socket of an event loop; the descriptors of a read are taken with
 * {@link #takeReceived()} before the next read. Loop thread only.
 *
 * <p>The structures are Linux's on 64-bit machines ({@code struct msghdr}, {@code struct iovec},
 * {@code struct cmsghdr}); elsewhere no reader is made and descriptors are never received.
 */
public final class DescriptorReader {

    private static final Logger log = LoggerFactory.getLogger(DescriptorReader.class);

    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_CTRUNC = 0x8;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;

    // struct msghdr, then one struct iovec, then the control buffer, in one block.
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_CONTROL = 32;
    private static final int MSG_CONTROLLEN = 40;
    private static final int MSG_FLAGS = 48;
    private static final int IOV = 56;
    private static final int CONTROL = 72;
    private static final int CMSG_HEADER = 16;

    /**
     * Room for the most descriptors one message can carry (the kernel's SCM_MAX_FD, 253): a
     * smaller buffer truncates the control data, and the kernel closes what did not fit.
     */
    private static final int ANCILLARY_BYTES = 4096;

    private static final FileDescriptor[] NONE = new FileDescriptor[0];

    /** Null on 64-bit Linux, told without loading JNA (which costs tens of milliseconds). */
    private static final String UNAVAILABLE =
            "Linux".equals(System.getProperty("os.name")) && "64".equals(System.getProperty("sun.arch.data.model"))
                    ? null
                    : "recvmsg: the structures are known for 64-bit Linux only, not " + System.getProperty("os.name")
                            + " (" + System.getProperty("sun.arch.data.model") + "-bit)";

    /** The message header, its one iovec and the control buffer; rewritten by each read. */
    private final Memory message = new Memory(CONTROL + ANCILLARY_BYTES);
    /** Descriptors received since the last {@link #takeReceived()}, oldest first. */
    private final List<FileDescriptor> received = new ArrayList<>();

    private DescriptorReader() {
        message.clear();
        message.setLong(MSG_IOVLEN, 1);
        message.setPointer(MSG_IOV, message.share(IOV));
        message.setPointer(MSG_CONTROL, message.share(CONTROL));
    }

    /** A reader, where libc's recvmsg can be called. */
    public static Optional<DescriptorReader> create() {
        return UNAVAILABLE == null && Libc.bound() ? Optional.of(new DescriptorReader()) : Optional.empty();
    }

    /**
     * Binds libc's recvmsg and send now, on the calling thread, so that the first client's read
     * or write does not wait for it: a server calls it off its start-up path.
     */
    public static void prepare() {
        if (UNAVAILABLE == null) {
            Libc.bound();
        }
    }

    /** Why no reader can be made here; empty when one can. */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(UNAVAILABLE);
    }

    /**
     * Reads what is there into {@code buf} (direct) without waiting, as {@code SocketChannel.read}
     * would: the number of bytes, 0 when nothing is there (or {@code buf} has no room), -1 at end
     * of stream. {@code socket} is the number of a descriptor the caller keeps owning (a JDK
     * channel's own, {@link Descriptors#number}): nothing here closes it.
     *
     * @throws IOException the read failed (a reset connection, for one)
     */
    public int read(int socket, ByteBuffer buf) throws IOException {
        if (!buf.isDirect()) {
            throw new IllegalArgumentException("recvmsg needs a direct buffer");
        }
        int position = buf.position();
        int room = buf.remaining();
        if (room == 0) {
            return 0;
        }
        message.setPointer(IOV, Native.getDirectBufferPointer(buf).share(position));
        message.setLong(IOV + 8, room);
        long n;
        while (true) {
            message.setLong(MSG_CONTROLLEN, ANCILLARY_BYTES);
            message.setInt(MSG_FLAGS, 0);
            try {
                n = Libc.recvmsg(socket, message, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
                break;
            } catch (LastErrorException e) {
                if (!Libc.retry("recvmsg", e)) {
                    return 0;
                }
            }
        }
        keepDescriptors();
        if (n == 0) {
            return -1;
        }
        buf.position(position + (int) n);
        return (int) n;
    }

    /** Adds the descriptors of the read just done to {@link #received}. */
    private void keepDescriptors() {
        long length = message.getLong(MSG_CONTROLLEN);
        if ((message.getInt(MSG_FLAGS) & MSG_CTRUNC) != 0) {
            log.warn("recvmsg: control data truncated; the descriptors that did not fit are closed");
        }
        long offset = 0;
        while (offset + CMSG_HEADER <= length) {
            long cmsgLength = message.getLong(CONTROL + offset);
            if (cmsgLength < CMSG_HEADER || offset + cmsgLength > length) {
                break;
            }
            if (message.getInt(CONTROL + offset + 8) == SOL_SOCKET
                    && message.getInt(CONTROL + offset + 12) == SCM_RIGHTS) {
                for (long at = CMSG_HEADER; at + 4 <= cmsgLength; at += 4) {
                    received.add(descriptor(message.getInt(CONTROL + offset + at)));
                }
            }
            offset += (cmsgLength + 7) & ~7L;
        }
    }

    private static FileDescriptor descriptor(int number) {
        try {
            return FileDescriptorCast.unsafeUsing(number).getFileDescriptor();
        } catch (IOException e) {
            throw new IllegalStateException("descriptor " + number + " received but not representable", e);
        }
    }

    /** The descriptors that came with the reads since the last call, oldest first; now the caller's. */
    public FileDescriptor[] takeReceived() {
        if (received.isEmpty()) {
            return NONE;
        }
        FileDescriptor[] fds = received.toArray(NONE);
        received.clear();
        return fds;
    }
}
