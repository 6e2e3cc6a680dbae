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
 * QEMU's {@code socket} backend in server mode: listens on a unix or TCP address and serves one
 * client at a time; the next client waits in the listen backlog (no greeting) until the current
 * one leaves, exactly as QEMU's char-socket does.
 *
 * <p>Everything below the constructor runs on the loop thread unless its comment says otherwise.
 */
public final class SocketChardev extends Chardev {

    private static final Logger log = LoggerFactory.getLogger(SocketChardev.class);

    private final SocketAddress address;
    private final boolean nodelay;
    private final ServerSocketChannel server;
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
                          ServerSocketChannel server) {
        super(id, loop);
        this.address = address;
        this.nodelay = nodelay;
        this.server = server;
    }

    /**
     * Binds and listens at once (so a bad address fails the caller), then serves clients on
     * {@code loop}. With {@code waitForClient} the caller blocks until the first client connects,
     * as QEMU does for {@code wait=on}.
     */
    public static SocketChardev listen(String id, EventLoop loop, SocketAddress address, boolean nodelay,
                                       boolean waitForClient) throws IOException {
        ServerSocketChannel server = bind(address);
        SocketChardev chardev = new SocketChardev(id, loop, address, nodelay, server);
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
        if (address instanceof SocketAddress.Inet inet && inet.port() == 0) {
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
        return connected != null ? connected : "disconnected:" + boundAddress().qemuForm() + ",server=on";
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

    private void connected(SocketChannel ch) throws IOException {
        if (address instanceof SocketAddress.Inet) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, nodelay);
        }
        client = ch;
        clientKey = loop().register(ch, 0, this::clientReady);
        // One client at a time: the next one waits in the backlog.
        serverKey.interestOps(0);
        connectedFilename = connectedForm(ch);
        ChardevFrontend fe = frontend();
        if (fe != null) {
            fe.opened();
        }
        resumeInput();
    }

    private String connectedForm(SocketChannel ch) throws IOException {
        if (address instanceof SocketAddress.Unix unix) {
            return "unix:" + unix.path() + ",server=on";
        }
        InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
        InetSocketAddress peer = (InetSocketAddress) ch.getRemoteAddress();
        return "tcp:" + SocketAddress.Inet.hostForm(local.getAddress().getHostAddress()) + ":" + local.getPort()
                + ",server=on <-> " + SocketAddress.Inet.hostForm(peer.getAddress().getHostAddress()) + ":"
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
            n = client.read(buf);
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
        kept = null;
        unwritten.clear();
        outbox.clear();
        connectedFilename = null;
        ChardevFrontend fe = frontend();
        if (fe != null) {
            fe.closed();
        }
        if (!closed && serverKey.isValid()) {
            serverKey.interestOps(SelectionKey.OP_ACCEPT);
        }
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
            if (serverKey != null) {
                serverKey.cancel();
            }
            closeQuietly(server);
            if (address instanceof SocketAddress.Unix unix) {
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

    private void closeQuietly(java.nio.channels.Channel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Close path: nothing more can be done with a channel that fails to close.
            log.debug("chardev {}: close failed", id(), e);
        }
    }
}
