package io.qmpd.chardev;

import io.qmpd.io.EventLoop;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QEMU's {@code socket} backend. Server mode listens on a unix or TCP address and serves one
 * client at a time; the next client waits in the listen backlog (no greeting) until the current
 * one leaves, exactly as QEMU's char-socket does. Client mode connects at creation and, with a
 * reconnect delay, again after each disconnect (see {@link SocketDialer}). An adopted socket
 * (address type {@code fd}) is connected from the start and stays disconnected once it closes.
 * On unix sockets, descriptors passed with SCM_RIGHTS are kept for {@link #takeReceivedFd()}.
 * A unix socket file it listens on is created with mode {@link UnixSocketMode#PRIVATE} unless told
 * otherwise. The connected client's reads, kept input and output queue live in a
 * {@link SocketConnection}; its pending output is bounded by {@link #DEFAULT_OUTPUT_LIMIT}.
 *
 * <p>Everything below the constructor runs on the loop thread unless its comment says otherwise.
 */
public final class SocketChardev extends Chardev {

    private static final Logger log = LoggerFactory.getLogger(SocketChardev.class);

    /** Output queued for one client beyond which it is disconnected: 8 MiB. */
    public static final long DEFAULT_OUTPUT_LIMIT = 8L << 20;
    /** How long a listener rests after a failed accept (no descriptor free, say) before it tries again. */
    static final long ACCEPT_RETRY_MILLIS = 100;

    private final SocketAddress address;
    private final boolean nodelay;
    /** Null unless listening. */
    private final ServerSocketChannel server;
    /** Null unless in client mode. */
    private SocketDialer dialer;
    /** Fd mode: the name the descriptor was stored under, for the filename. */
    private final String fdName;

    private volatile long outputLimit = DEFAULT_OUTPUT_LIMIT;

    private SelectionKey serverKey;
    /** Loop thread only: the last accept failed (logged once until one succeeds). */
    private boolean acceptFailing;
    /** The connected client; written on the loop thread, read by writers on any thread. */
    private volatile SocketConnection connection;
    /** Set on connect for {@link #filename()}, read from any thread. */
    private volatile String connectedFilename;

    private volatile boolean closed;

    private SocketChardev(
            String id,
            EventLoop loop,
            SocketAddress address,
            boolean nodelay,
            ServerSocketChannel server,
            String fdName) {
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
    public static SocketChardev connect(
            String id, EventLoop loop, SocketAddress address, boolean nodelay, long reconnectMillis)
            throws IOException {
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

    /** Registers the listener, if any, and the first connection, if any, with the loop. */
    private void start(SocketChannel first) throws IOException {
        register(id(), () -> {
            if (server != null) {
                serverKey = loop().register(server, SelectionKey.OP_ACCEPT, key -> accept());
            }
            if (first != null) {
                connected(first);
            }
        });
    }

    /** Registration work that runs on the loop thread. */
    private interface Registration {
        void run() throws IOException;
    }

    /**
     * Runs {@code registration} on the loop and waits for it (at once when called on the loop: a
     * chardev-add run inline, ADR 7); if it fails, closes this chardev and throws
     * {@code cannot register WHAT} with the failure as the cause.
     */
    private void register(Object what, Registration registration) throws IOException {
        CompletableFuture<Void> registered = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                registration.run();
                registered.complete(null);
            } catch (IOException | RuntimeException e) {
                registered.completeExceptionally(e);
            }
        };
        if (loop().inEventLoop()) {
            task.run();
        } else {
            loop().execute(task);
        }
        try {
            registered.join();
        } catch (RuntimeException e) {
            close();
            throw new IOException("cannot register " + what, e.getCause());
        }
    }

    /**
     * Binds and listens at once (so a bad address fails the caller), then serves clients on
     * {@code loop}. With {@code waitForClient} the caller blocks until the first client connects,
     * as QEMU does for {@code wait=on} (QMP's chardev-add never passes true: it must not block the
     * dispatcher).
     */
    public static SocketChardev listen(
            String id, EventLoop loop, SocketAddress address, boolean nodelay, boolean waitForClient)
            throws IOException {
        return listen(id, loop, address, nodelay, waitForClient, UnixSocketMode.PRIVATE);
    }

    /** As {@link #listen(String, EventLoop, SocketAddress, boolean, boolean)}, a unix socket file getting {@code mode}. */
    public static SocketChardev listen(
            String id,
            EventLoop loop,
            SocketAddress address,
            boolean nodelay,
            boolean waitForClient,
            UnixSocketMode mode)
            throws IOException {
        ServerSocketChannel server = SocketListen.bind(address, mode);
        SocketChardev chardev = new SocketChardev(id, loop, address, nodelay, server, null);
        chardev.start(waitForClient ? server.accept() : null);
        return chardev;
    }

    /**
     * Serves the clients of a listening socket, unix or TCP, received as a descriptor (address type
     * {@code fd} with {@code server: true}, a supervisor's socket activation); its filename names
     * {@code fdName}.
     */
    public static SocketChardev listenOn(String id, EventLoop loop, ServerSocketChannel listening, String fdName)
            throws IOException {
        SocketChardev chardev = new SocketChardev(id, loop, null, false, listening, fdName);
        chardev.start(null);
        return chardev;
    }

    /**
     * The address as bound: for TCP the numeric address and the port the kernel chose for port 0;
     * for a listening descriptor (address type {@code fd}), the address it is bound to. Null for a
     * connection made elsewhere (address type {@code fd} with {@code server: false}).
     */
    public SocketAddress boundAddress() {
        if (server == null || address instanceof SocketAddress.Unix) {
            return address;
        }
        try {
            java.net.SocketAddress local = server.getLocalAddress();
            if (local instanceof InetSocketAddress inet) {
                // numeric, as QEMU prints the address it bound (localhost: 127.0.0.1)
                return new SocketAddress.Inet(
                        inet.getAddress().getHostAddress().replaceFirst("%.*$", ""), inet.getPort());
            }
            return new SocketAddress.Unix(((UnixDomainSocketAddress) local).getPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        SocketAddress bound = boundAddress();
        String where = bound != null ? bound.qemuForm() : "fd:" + fdName;
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

    /**
     * Sets the pending output beyond which the client is disconnected (default
     * {@link #DEFAULT_OUTPUT_LIMIT}); applies from the next connection on. Any thread.
     */
    public void outputLimit(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("output limit must be positive");
        }
        outputLimit = bytes;
    }

    /** Bytes queued for the connected client and not yet taken by its socket; any thread. */
    public long pendingOutput() {
        SocketConnection c = connection;
        return c != null ? c.pendingOutput() : 0;
    }

    /** Loop thread: bytes of the client's input not consumed yet (tests). */
    int keptInput() {
        SocketConnection c = connection;
        return c != null ? c.keptBytes() : 0;
    }

    @Override
    protected void output(byte[] bytes) {
        SocketConnection c = connection;
        if (c != null) {
            c.write(bytes);
        }
        // With no client the bytes are dropped, as QEMU's socket write fails with EIO.
    }

    @Override
    public void acceptInput() {
        if (loop().inEventLoop()) {
            resumeInput();
        } else {
            loop().execute(this::resumeInput);
        }
    }

    private void resumeInput() {
        SocketConnection c = connection;
        if (c != null) {
            c.acceptInput();
        }
    }

    /** Delivers the client's queued output first, then drops it (bounded wait). */
    @Override
    public void disconnect() {
        loop().execute(() -> {
            SocketConnection c = connection;
            if (c != null) {
                c.disconnect();
            }
        });
    }

    private void accept() throws IOException {
        SocketChannel ch;
        try {
            ch = server.accept();
        } catch (IOException e) {
            // Out of descriptors, say: the client stays in the backlog. A listener that stays
            // ready would make the loop spin, so it rests and tries again; it never gives up.
            if (!acceptFailing) {
                acceptFailing = true;
                log.warn(
                        "chardev {}: cannot accept a connection ({}); retrying every {} ms",
                        id(),
                        e.getMessage(),
                        ACCEPT_RETRY_MILLIS);
            }
            serverKey.interestOps(0);
            loop().schedule(ACCEPT_RETRY_MILLIS, () -> {
                if (!closed && connection == null && serverKey.isValid()) {
                    serverKey.interestOps(SelectionKey.OP_ACCEPT);
                }
            });
            return;
        }
        if (ch != null) {
            if (acceptFailing) {
                acceptFailing = false;
                log.info("chardev {}: accepting connections again", id());
            }
            connected(ch);
        }
    }

    /** Loop thread: a connection is up (accepted, dialled or adopted). */
    void connected(SocketChannel ch) throws IOException {
        boolean tcp = ch.getLocalAddress() instanceof InetSocketAddress; // an fd address may be either
        if (tcp) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, nodelay);
        }
        SocketConnection c = new SocketConnection(this, ch, !tcp, outputLimit);
        connection = c;
        if (serverKey != null) {
            // One client at a time: the next one waits in the backlog.
            serverKey.interestOps(0);
        }
        connectedFilename = connectedForm(ch);
        ChardevFrontend fe = frontend();
        if (fe != null) {
            fe.opened();
        }
        c.acceptInput();
    }

    /** Loop thread: the connection closed (hang-up, error, overflow or disconnect). */
    void connectionGone(SocketConnection c) {
        if (connection != c) {
            return;
        }
        connection = null;
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

    /** QEMU prints the LOCAL address: a connected unix client or socketpair end has none ("unix:"). */
    private String connectedForm(SocketChannel ch) throws IOException {
        String listen = server != null ? ",server=on" : "";
        if (!(ch.getLocalAddress() instanceof InetSocketAddress local)) {
            return (server != null && boundAddress() instanceof SocketAddress.Unix unix
                            ? "unix:" + unix.path()
                            : "unix:")
                    + listen;
        }
        InetSocketAddress peer = (InetSocketAddress) ch.getRemoteAddress();
        return "tcp:" + SocketAddress.Inet.hostForm(local.getAddress().getHostAddress()) + ":" + local.getPort()
                + listen + " <-> "
                + SocketAddress.Inet.hostForm(peer.getAddress().getHostAddress()) + ":"
                + peer.getPort();
    }

    @Override
    public Optional<FileDescriptor> takeReceivedFd() {
        SocketConnection c = connection;
        return c != null ? c.takeReceivedFd() : Optional.empty();
    }

    /** Whether close() has begun (the dialer stops retrying). */
    boolean isClosed() {
        return closed;
    }

    /** Any thread. Drops the client (the frontend sees closed()), stops listening, unlinks a unix socket file. */
    @Override
    protected void closeBackend() {
        if (closed) {
            return;
        }
        closed = true;
        Runnable teardown = () -> {
            SocketConnection c = connection;
            if (c != null) {
                c.hangUp();
            }
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

    void closeQuietly(Channel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Close path: nothing more can be done with a channel that fails to close.
            log.debug("chardev {}: close failed", id(), e);
        }
    }
}
