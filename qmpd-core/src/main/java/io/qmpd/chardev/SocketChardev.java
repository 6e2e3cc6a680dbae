package io.qmpd.chardev;

import io.qmpd.io.EventLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QEMU's {@code socket} backend. Server mode listens on a unix or TCP address and serves one
 * client at a time; the next client waits in the listen backlog (no greeting) until the current
 * one leaves, exactly as QEMU's char-socket does. Client mode connects at creation and, with a
 * reconnect delay, again after each disconnect (see {@link SocketDialer}). An adopted socket
 * (address type {@code fd}) is connected from the start and stays disconnected once it closes.
 * On unix sockets, descriptors passed with SCM_RIGHTS are kept for {@link #takeReceivedFd()}.
 *
 * <p>Everything below the constructor runs on the loop thread unless its comment says otherwise.
 */
public final class SocketChardev extends Chardev {

    private static final Logger log = LoggerFactory.getLogger(SocketChardev.class);

    private final SocketAddress address;
    private final boolean nodelay;
    /** Null unless listening. */
    private final ServerSocketChannel server;
    /** Null unless in client mode. */
    private SocketDialer dialer;
    /** Fd mode: the name the descriptor was stored under, for the filename. */
    private final String fdName;
    /** Junixsocket view of the connected unix client (never closed; the JDK channel owns the fd). */
    private org.newsclub.net.unix.AFUNIXSocketChannel view;
    /** Descriptors of the latest descriptor-bearing read; guarded by this. */
    private java.io.FileDescriptor[] receivedFds;
    /** Writers on any thread append; the loop drains. */
    private final Queue<ByteBuffer> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();

    private SelectionKey serverKey;
    private SocketChannel client;
    private SelectionKey clientKey;
    /** Set on connect for {@link #filename()}, read from any thread. */
    private volatile String connectedFilename;
    /** Input the frontend left unconsumed; while non-null nothing more is read from the client. */
    private ByteBuffer kept;
    /** Output the socket did not take yet, in order. */
    private final Queue<ByteBuffer> unwritten = new ArrayDeque<>();
    private volatile boolean closed;

    private SocketChardev(String id, EventLoop loop, SocketAddress address, boolean nodelay,
                          ServerSocketChannel server, String fdName) {
        super(id, loop);
        this.address = address;
        this.nodelay = nodelay;
        this.server = server;
        this.fdName = fdName;
    }

    /**
     * Connects at once (a failure fails the caller with QEMU's text, nothing is left behind); with
     * {@code reconnectMillis > 0} connects asynchronously instead and retries after each
     * disconnect, as QEMU does for {@code reconnect}.
     */
    public static SocketChardev connect(String id, EventLoop loop, SocketAddress address, boolean nodelay,
                                        long reconnectMillis) throws IOException {
        SocketChardev chardev = new SocketChardev(id, loop, address, nodelay, null, null);
        chardev.dialer = new SocketDialer(chardev, address, reconnectMillis);
        SocketChannel first = reconnectMillis > 0 ? null : SocketDialer.connectNow(address);
        chardev.start(first);
        if (first == null) {
            loop.execute(chardev.dialer::dial);
        }
        return chardev;
    }

    /** Adopts a connected socket (address type {@code fd}); its filename names {@code fdName}. */
    public static SocketChardev adopt(String id, EventLoop loop, SocketChannel connected, String fdName)
            throws IOException {
        SocketChardev chardev = new SocketChardev(id, loop, null, false, null, fdName);
        chardev.start(connected);
        return chardev;
    }

    private void start(SocketChannel first) throws IOException {
        CompletableFuture<Void> registered = new CompletableFuture<>();
        loop().execute(() -> {
            try {
                if (first != null) {
                    connected(first);
                }
                registered.complete(null);
            } catch (IOException | RuntimeException e) {
                registered.completeExceptionally(e);
            }
        });
        try {
            registered.join();
        } catch (RuntimeException e) {
            close();
            throw new IOException("cannot register " + id(), e.getCause());
        }
    }

    /**
     * Binds and listens at once (so a bad address fails the caller), then serves clients on
     * {@code loop}. With {@code waitForClient} the caller blocks until the first client connects,
     * as QEMU does for {@code wait=on} (QMP's chardev-add never passes true: it must not block the
     * dispatcher).
     */
    public static SocketChardev listen(String id, EventLoop loop, SocketAddress address, boolean nodelay,
                                       boolean waitForClient) throws IOException {
        ServerSocketChannel server = bind(address);
        SocketChardev chardev = new SocketChardev(id, loop, address, nodelay, server, null);
        SocketChannel first = waitForClient ? server.accept() : null;
        CompletableFuture<Void> registered = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                chardev.serverKey = loop.register(server, SelectionKey.OP_ACCEPT, key -> chardev.accept());
                if (first != null) {
                    chardev.connected(first);
                }
                registered.complete(null);
            } catch (IOException | RuntimeException e) {
                registered.completeExceptionally(e);
            }
        });
        try {
            registered.join();
        } catch (RuntimeException e) {
            chardev.close();
            throw new IOException("cannot register " + address, e.getCause());
        }
        return chardev;
    }

    private static ServerSocketChannel bind(SocketAddress address) throws IOException {
        ServerSocketChannel server;
        java.net.SocketAddress local;
        if (address instanceof SocketAddress.Unix unix) {
            // QEMU unlinks a stale socket file before binding.
            Files.deleteIfExists(unix.path());
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            local = UnixDomainSocketAddress.of(unix.path());
        } else {
            SocketAddress.Inet inet = (SocketAddress.Inet) address;
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            local = new InetSocketAddress(inet.host(), inet.port());
        }
        try {
            server.bind(local, 1);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The address as bound; for TCP with port 0, the port the kernel chose. */
    public SocketAddress boundAddress() {
        if (server != null && address instanceof SocketAddress.Inet inet && inet.port() == 0) {
            try {
                int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
                return new SocketAddress.Inet(inet.host(), port);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return address;
    }

    @Override
    public String backendKind() {
        return "socket";
    }

    @Override
    public String filename() {
        String connected = connectedFilename;
        if (connected != null) {
            return connected;
        }
        String where = address != null ? boundAddress().qemuForm() : "fd:" + fdName;
        return "disconnected:" + where + (server != null ? ",server=on" : "");
    }

    @Override
    public boolean isOpen() {
        return connectedFilename != null;
    }

    @Override
    public boolean supportsIoThread() {
        return true;
    }

    @Override
    public void write(byte[] bytes) {
        outbox.add(ByteBuffer.wrap(bytes));
        if (flushScheduled.compareAndSet(false, true)) {
            loop().execute(this::flush);
        }
    }

    @Override
    public void acceptInput() {
        if (loop().inEventLoop()) {
            resumeInput();
        } else {
            loop().execute(this::resumeInput);
        }
    }

    @Override
    public void disconnect() {
        loop().execute(this::dropClient);
    }

    private void accept() throws IOException {
        SocketChannel ch = server.accept();
        if (ch != null) {
            connected(ch);
        }
    }

    /** Loop thread: a connection is up (accepted, dialled or adopted). */
    void connected(SocketChannel ch) throws IOException {
        if (address instanceof SocketAddress.Inet) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, nodelay);
        }
        client = ch;
        clientKey = loop().register(ch, 0, this::clientReady);
        if (!(address instanceof SocketAddress.Inet)) {
            view = io.qmpd.io.Descriptors.receivingView(ch).orElse(null);
        }
        if (serverKey != null) {
            // One client at a time: the next one waits in the backlog.
            serverKey.interestOps(0);
        }
        connectedFilename = connectedForm(ch);
        ChardevFrontend fe = frontend();
        if (fe != null) {
            fe.opened();
        }
        resumeInput();
    }

 /** QEMU prints the LOCAL address: a connected unix client or socketpair end has none ("unix:"). */
    private String connectedForm(SocketChannel ch) throws IOException {
        String listen = server != null ? ",server=on" : "";
        if (!(address instanceof SocketAddress.Inet)) {
            return (server != null && address instanceof SocketAddress.Unix unix ? "unix:" + unix.path() : "unix:") + listen;
        }
        InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
        InetSocketAddress peer = (InetSocketAddress) ch.getRemoteAddress();
        return "tcp:" + SocketAddress.Inet.hostForm(local.getAddress().getHostAddress()) + ":" + local.getPort()
                + listen + " <-> " + SocketAddress.Inet.hostForm(peer.getAddress().getHostAddress()) + ":"
                + peer.getPort();
    }

    private void clientReady(SelectionKey key) throws IOException {
        if (key.isValid() && key.isWritable()) {
            writeUnwritten();
        }
        if (key.isValid() && key.isReadable()) {
            read();
        }
    }

    private void read() {
        ByteBuffer buf = loop().readBuffer();
        int n;
        try {
            n = view != null ? readWithFds(buf) : client.read(buf);
        } catch (IOException e) {
            log.debug("chardev {}: read failed", id(), e);
            n = -1;
        }
        if (n < 0) {
            dropClient();
            return;
        }
        buf.flip();
        offer(buf);
    }

    private int readWithFds(ByteBuffer buf) throws IOException {
        int n = view.read(buf);
        java.io.FileDescriptor[] fds = view.getReceivedFileDescriptors();
        if (fds != null && fds.length > 0) {
            java.io.FileDescriptor[] old;
            synchronized (this) {
                old = receivedFds;
                receivedFds = fds;
            }
            closeAll(old); // as QEMU: a new descriptor-bearing read replaces what was not taken
        }
        return n;
    }

    @Override
    public java.util.Optional<java.io.FileDescriptor> takeReceivedFd() {
        java.io.FileDescriptor[] fds;
        synchronized (this) {
            fds = receivedFds;
            receivedFds = null;
        }
        if (fds == null || fds.length == 0) {
            return java.util.Optional.empty();
        }
        for (int i = 1; i < fds.length; i++) {
            io.qmpd.io.Descriptors.close(fds[i]);
        }
        return java.util.Optional.of(fds[0]);
    }

    private static void closeAll(java.io.FileDescriptor[] fds) {
        if (fds != null) {
            for (java.io.FileDescriptor fd : fds) {
                io.qmpd.io.Descriptors.close(fd);
            }
        }
    }

    /** Hands input to the frontend; keeps what it leaves and stops reading until acceptInput. */
    private void offer(ByteBuffer input) {
        ChardevFrontend fe = frontend();
        if (fe != null && input.hasRemaining()) {
            fe.received(input);
        }
        if (input.hasRemaining()) {
            if (input != kept) {
                kept = ByteBuffer.allocate(input.remaining()).put(input).flip();
            }
            setReading(false);
        } else {
            kept = null;
            setReading(frontend() != null);
        }
    }

    private void resumeInput() {
        if (client == null) {
            return;
        }
        if (kept != null) {
            offer(kept);
        } else {
            setReading(frontend() != null);
        }
    }

    private void setReading(boolean on) {
        if (clientKey != null && clientKey.isValid()) {
            int ops = clientKey.interestOps();
            clientKey.interestOps(on ? ops | SelectionKey.OP_READ : ops & ~SelectionKey.OP_READ);
        }
    }

    private void flush() {
        flushScheduled.set(false);
        ByteBuffer next;
        while ((next = outbox.poll()) != null) {
            if (client != null) {
                unwritten.add(next);
            }
            // With no client the bytes are dropped, as QEMU's socket write fails with EIO.
        }
        if (client != null) {
            writeUnwritten();
        }
    }

    private void writeUnwritten() {
        try {
            ByteBuffer head;
            while ((head = unwritten.peek()) != null) {
                client.write(head);
                if (head.hasRemaining()) {
                    clientKey.interestOps(clientKey.interestOps() | SelectionKey.OP_WRITE);
                    return;
                }
                unwritten.poll();
            }
            clientKey.interestOps(clientKey.interestOps() & ~SelectionKey.OP_WRITE);
        } catch (IOException e) {
            log.debug("chardev {}: write failed", id(), e);
            dropClient();
        }
    }

    private void dropClient() {
        if (client == null) {
            return;
        }
        closeQuietly(client);
        clientKey.cancel();
        client = null;
        clientKey = null;
        view = null;
        java.io.FileDescriptor[] fds;
        synchronized (this) {
            fds = receivedFds;
            receivedFds = null;
        }
        closeAll(fds);
        kept = null;
        unwritten.clear();
        outbox.clear();
        connectedFilename = null;
        ChardevFrontend fe = frontend();
        if (fe != null) {
            fe.closed();
        }
        if (!closed && serverKey != null && serverKey.isValid()) {
            serverKey.interestOps(SelectionKey.OP_ACCEPT);
        }
        if (!closed && dialer != null) {
            dialer.disconnected();
        }
    }

    /** Whether close() has begun (the dialer stops retrying). */
    boolean isClosed() {
        return closed;
    }

    /** Any thread. Drops the client (the frontend sees closed()), stops listening, unlinks a unix socket file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Runnable teardown = () -> {
            dropClient();
            if (dialer != null) {
                dialer.close();
            }
            if (serverKey != null) {
                serverKey.cancel();
            }
            if (server != null) {
                closeQuietly(server);
            }
            if (server != null && address instanceof SocketAddress.Unix unix) {
                try {
                    Files.deleteIfExists(unix.path());
                } catch (IOException e) {
                    log.warn("chardev {}: cannot unlink {}", id(), unix.path(), e);
                }
            }
        };
        if (loop().inEventLoop() || loop().terminationFuture().isDone()) {
            teardown.run();
        } else {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop().execute(() -> {
                teardown.run();
                done.complete(null);
            });
            done.join();
        }
    }

    void closeQuietly(java.nio.channels.Channel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Close path: nothing more can be done with a channel that fails to close.
            log.debug("chardev {}: close failed", id(), e);
        }
    }
}
