package io.qmpd.chardev;

import io.qmpd.io.DescriptorReader;
import io.qmpd.io.Descriptors;
import io.qmpd.io.EventLoop;
import io.qmpd.io.Poll;
import io.qmpd.io.SocketSend;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected client of a {@link SocketChardev}: its reads, the input its frontend left
 * unconsumed (ADR 0003), the descriptors that came with its reads, and its output queue.
 *
 * <p>Input: while the frontend holds input (a suspended monitor), the connection keeps reading
 * into the kept buffer, without offering anything, until the buffer holds {@link #KEPT_MAX}
 * bytes; only then does it stop polling. The end of the client's stream seen that way takes
 * effect after the kept bytes, as QEMU reads them in order: a client that sends its requests and
 * shuts down its writing side ({@code printf ... | socat}) still gets every reply. Descriptors
 * that arrive with read-ahead bytes are held back until the frontend accepts input again.
 *
 * <p>Output: the writing thread (the dispatcher, the loop, whoever emits an event) hands the bytes
 * to the non-blocking socket itself when nothing is queued before them, so a reply costs no
 * hand-off to the loop; what the socket does not take queues, and the loop writes it when the
 * socket is writable again. More than the output limit pending means the client does not read:
 * it is disconnected (logged), and its further output dropped.
 * {@link #disconnect()} first delivers what is queued, then closes; a client that does not read
 * it within {@link #CLOSE_FLUSH_MILLIS} is closed anyway.
 *
 * <p>Threads: {@link #write}, {@link #takeReceivedFd} and {@link #pendingOutput} on any thread;
 * everything else on the loop thread. {@code outputLock} orders every write to the socket.
 */
final class SocketConnection {

    private static final Logger log = LoggerFactory.getLogger(SocketConnection.class);

    /** The most unconsumed input kept per client: one read (64 KiB) plus 64 KiB read ahead. */
    static final int KEPT_MAX = 128 * 1024;
    /** How long a disconnect waits for queued output to be taken before closing anyway. */
    static final long CLOSE_FLUSH_MILLIS = 5_000;
    /** Descriptors kept from one message (QEMU's TCP_MAX_FDS); the kernel delivers at most 253. */
    static final int MAX_RECEIVED_FDS = 16;

    private final SocketChardev owner;
    private final SocketChannel channel;
    private final SelectionKey key;
    /** The number of the channel's descriptor, read through the loop's {@link DescriptorReader}; -1 on TCP. */
    private final int descriptor;
    /**
     * Whether a write that queues nothing goes to {@link #descriptor} through {@link SocketSend}
     * instead of the channel: a broadcast to thousands of clients is mostly these writes. Safe as
     * the descriptor is closed only once {@link #gone} is set under outputLock.
     */
    private final boolean sendsByNumber;

    private final long outputLimit;

    /** Descriptors of the latest descriptor-bearing read the frontend may see; guarded by this. */
    private FileDescriptor[] receivedFds;
    /** Descriptors that came with read-ahead bytes; promoted when input is accepted again. */
    private FileDescriptor[] heldFds;
    /** Input not consumed yet: held by the frontend, or read ahead behind what it holds. */
    private final KeptInput kept;

    private final Object outputLock = new Object();
    /** Guarded by outputLock: output the socket has not taken yet, oldest first. */
    private final Queue<ByteBuffer> unwritten = new ArrayDeque<>();
    /** Bytes written by the frontend and not yet taken by the socket; written under outputLock. */
    private final AtomicLong pending = new AtomicLong();

    private final AtomicBoolean overflowed = new AtomicBoolean();
    /** A disconnect was asked for: no more input, close once the output is out. */
    private boolean closing;
    /** The client's stream ended behind kept input: close once the frontend has consumed it. */
    private boolean endAfterKept;

    private EventLoop.Timer closeDeadline;
    private volatile boolean gone;

    SocketConnection(SocketChardev owner, SocketChannel channel, boolean unix, long outputLimit) throws IOException {
        this.owner = owner;
        this.channel = channel;
        this.outputLimit = outputLimit;
        this.kept = new KeptInput(owner);
        this.key = owner.loop().register(channel, 0, this::ready);
        this.descriptor = unix ? Descriptors.number(channel).orElse(-1) : -1;
        this.sendsByNumber = descriptor >= 0 && SocketSend.available();
    }

    /**
     * Any thread: writes bytes, or queues what the socket does not take now; dropped once the
     * connection is gone or over its output limit.
     */
    void write(byte[] bytes) {
        if (gone || overflowed.get()) {
            return;
        }
        boolean nowQueued;
        synchronized (outputLock) {
            if (gone) {
                return;
            }
            nowQueued = unwritten.isEmpty();
            int taken = nowQueued ? writeNow(bytes) : 0;
            if (taken < 0) {
                return; // failed: the loop hangs up
            }
            if (taken == bytes.length) {
                return;
            }
            // The limit is on what the client left unread: output queued behind the write the
            // socket is taking now. One write of any size (a long reply, a burst of echo) is
            // queued whole, so a client that reads promptly is never dropped for it.
            ByteBuffer head = unwritten.peek();
            long behindHead = pending.get() - (head == null ? 0 : head.remaining());
            if (behindHead > outputLimit) {
                overflow(pending.get());
                return;
            }
            pending.addAndGet(bytes.length - taken);
            unwritten.add(ByteBuffer.wrap(bytes, taken, bytes.length - taken));
        }
        if (nowQueued) {
            onLoop(this::updateInterest); // the socket is full: wait until it is writable
        }
    }

    /**
     * Under outputLock, nothing queued: one non-blocking write of all of {@code bytes}; what the
     * socket took, or -1 if the write failed (then as {@link #writeTo}).
     */
    private int writeNow(byte[] bytes) {
        try {
            if (sendsByNumber) {
                return SocketSend.send(descriptor, bytes);
            }
            return channel.write(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            writeFailed(e);
            return -1;
        }
    }

    /**
     * Under outputLock: one non-blocking write; false if it failed, and then the loop hangs up
     * later, never here: hanging up tells the frontend, whose own lock a writer may hold.
     */
    private boolean writeTo(ByteBuffer buf) {
        try {
            channel.write(buf);
            return true;
        } catch (IOException e) {
            writeFailed(e);
            return false;
        }
    }

    private void writeFailed(IOException e) {
        if (!gone) {
            log.debug("chardev {}: write failed", owner.id(), e);
            owner.loop().execute(this::hangUp);
        }
    }

    private void overflow(long now) {
        if (overflowed.compareAndSet(false, true)) {
            log.warn(
                    "chardev {}: client left {} bytes of output unread, over the limit of {}: disconnecting it",
                    owner.id(),
                    now,
                    outputLimit);
            owner.loop().execute(this::hangUp); // not here, under outputLock: see writeTo
        }
    }

    private void onLoop(Runnable task) {
        if (owner.loop().inEventLoop()) {
            task.run();
        } else {
            owner.loop().execute(task);
        }
    }

    /** Bytes queued for the client and not yet taken by its socket. */
    long pendingOutput() {
        return pending.get();
    }

    int keptBytes() {
        return kept.size();
    }

    /** The frontend consumes input again: promote held descriptors, offer kept input, read on. */
    void acceptInput() {
        if (gone || closing) {
            return;
        }
        if (heldFds != null) {
            replaceReceived(heldFds);
            heldFds = null;
        }
        if (!kept.isEmpty()) {
            offered(kept.offerKept());
        }
        updateInterest();
    }

    /** Delivers queued output, then closes (bounded by {@link #CLOSE_FLUSH_MILLIS}). */
    void disconnect() {
        if (gone || closing) {
            return;
        }
        closing = true;
        kept.clear();
        writeUnwritten();
        if (!gone && hasUnwritten()) {
            closeDeadline = owner.loop().schedule(CLOSE_FLUSH_MILLIS, () -> {
                if (!gone) {
                    log.info(
                            "chardev {}: client did not take its last {} bytes within {} ms; closing",
                            owner.id(),
                            pending.get(),
                            CLOSE_FLUSH_MILLIS);
                    hangUp();
                }
            });
        }
    }

    private void ready(SelectionKey k) {
        if (k.isValid() && k.isWritable()) {
            writeUnwritten();
        }
        if (k.isValid() && k.isReadable() && !gone) {
            read();
        }
    }

    private void read() {
        ByteBuffer buf = owner.loop().readBuffer();
        boolean ahead = !kept.isEmpty();
        if (ahead) {
            buf.limit(Math.min(buf.capacity(), KEPT_MAX - kept.size()));
        }
        int n;
        try {
            DescriptorReader reader =
                    descriptor >= 0 ? owner.loop().descriptorReader().orElse(null) : null;
            n = reader != null ? readWithFds(reader, buf, ahead) : channel.read(buf);
        } catch (IOException e) {
            log.debug("chardev {}: read failed", owner.id(), e);
            n = -1;
        }
        if (n < 0) {
            if (ahead && owner.frontend() != null && !peerGone()) {
                endAfterKept = true; // a half-close: after the bytes before it, as QEMU reads them
                updateInterest();
            } else {
                hangUp(); // nothing kept, nobody to read it, or the client gone entirely: QEMU's
                // hang-up watch drops the connection at once, unread input with it, so that the
                // next client is greeted even while the monitor waits for a command
            }
            return;
        }
        buf.flip();
        if (ahead) {
            kept.append(buf); // offered when the frontend accepts input again
        } else {
            offered(kept.offer(buf));
        }
        updateInterest();
    }

    /** Whether the client closed its socket entirely (a unix socket's hang-up), not just its sending side. */
    private boolean peerGone() {
        return Descriptors.number(channel).map(Poll::peerGone).orElse(false);
    }

    /**
     * After an offer: what the frontend left is dropped if it closed the connection meanwhile; a
     * half-close seen behind input now all consumed takes effect.
     */
    private void offered(boolean allConsumed) {
        if (gone || closing) {
            kept.clear();
        } else if (allConsumed && endAfterKept) {
            disconnect(); // the replies to what was kept may still be queued: deliver, then close
        }
    }

    private int readWithFds(DescriptorReader reader, ByteBuffer buf, boolean ahead) throws IOException {
        int n = reader.read(descriptor, buf);
        FileDescriptor[] fds = keepAtMost(reader.takeReceived());
        if (fds.length > 0) {
            if (ahead) {
                closeAll(heldFds); // a newer descriptor-bearing read replaces what was not taken
                heldFds = fds;
            } else {
                replaceReceived(fds);
            }
        }
        return n;
    }

    /**
     * Keeps the first {@value #MAX_RECEIVED_FDS} descriptors of a read and closes the others, as
     * QEMU's socket chardev receives at most that many with one message.
     */
    private static FileDescriptor[] keepAtMost(FileDescriptor[] fds) {
        if (fds.length <= MAX_RECEIVED_FDS) {
            return fds;
        }
        for (int i = MAX_RECEIVED_FDS; i < fds.length; i++) {
            Descriptors.close(fds[i]);
        }
        return Arrays.copyOf(fds, MAX_RECEIVED_FDS);
    }

    private void replaceReceived(FileDescriptor[] fds) {
        FileDescriptor[] old;
        synchronized (this) {
            old = receivedFds;
            receivedFds = fds;
        }
        closeAll(old); // as QEMU: a new descriptor-bearing read replaces what was not taken
    }

    Optional<FileDescriptor> takeReceivedFd() {
        FileDescriptor[] fds;
        synchronized (this) {
            fds = receivedFds;
            receivedFds = null;
        }
        if (fds == null || fds.length == 0) {
            return Optional.empty();
        }
        for (int i = 1; i < fds.length; i++) {
            Descriptors.close(fds[i]);
        }
        return Optional.of(fds[0]);
    }

    /** Reading stays on while kept input is under the bound; writing while output is queued. */
    private void updateInterest() {
        if (gone || !key.isValid()) {
            return;
        }
        boolean reading = !closing && !endAfterKept && kept.size() < KEPT_MAX;
        int ops = (reading ? SelectionKey.OP_READ : 0) | (hasUnwritten() ? SelectionKey.OP_WRITE : 0);
        key.interestOps(ops);
    }

    private boolean hasUnwritten() {
        synchronized (outputLock) {
            return !unwritten.isEmpty();
        }
    }

    /** Loop thread: writes queued output while the socket takes it; closes when closing and done. */
    private void writeUnwritten() {
        if (gone) {
            return;
        }
        boolean drained;
        synchronized (outputLock) {
            ByteBuffer head;
            while ((head = unwritten.peek()) != null) {
                int before = head.remaining();
                if (!writeTo(head)) {
                    return;
                }
                pending.addAndGet(head.remaining() - before);
                if (head.hasRemaining()) {
                    break;
                }
                unwritten.poll();
            }
            drained = unwritten.isEmpty();
        }
        if (closing && drained) {
            hangUp();
        } else {
            updateInterest();
        }
    }

    /** Closes the connection now, dropping unwritten output and kept input; tells the owner. */
    void hangUp() {
        if (gone) {
            return;
        }
        synchronized (outputLock) {
            gone = true; // before the descriptor closes: no write by number is under way or to come
            unwritten.clear();
        }
        if (closeDeadline != null) {
            closeDeadline.cancel();
        }
        key.cancel();
        owner.closeQuietly(channel);
        FileDescriptor[] fds;
        synchronized (this) {
            fds = receivedFds;
            receivedFds = null;
        }
        closeAll(fds);
        closeAll(heldFds);
        heldFds = null;
        kept.clear();
        owner.connectionGone(this);
    }

    private static void closeAll(FileDescriptor[] fds) {
        if (fds != null) {
            for (FileDescriptor fd : fds) {
                Descriptors.close(fd);
            }
        }
    }
}
