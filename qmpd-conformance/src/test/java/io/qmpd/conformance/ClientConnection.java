package io.qmpd.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One client of a unix socket, as the recorder was: writes each send in one piece, collects
 * everything received, and never waits longer than the bound it is given.
 *
 * <p>Confined to the replaying thread.
 */
final class ClientConnection implements AutoCloseable {

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
    private boolean eof;
    private boolean closed;

    private ClientConnection(SocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    static ClientConnection connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            Selector selector = Selector.open();
            ch.register(selector, SelectionKey.OP_READ);
            return new ClientConnection(ch, selector);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Waits (bounded, on file-system events) until {@code path} exists; returns whether it does. */
    static boolean awaitPath(Path path, Duration bound) throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            path.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            while (!Files.exists(path)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                WatchKey key = watch.poll(left, TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + path, e);
        }
    }

    byte[] received() {
        return received.toByteArray();
    }

    boolean eof() {
        return eof;
    }

    /** Writes all of {@code bytes}, reading whatever arrives meanwhile so neither side can block the other. */
    void send(byte[] bytes, Duration bound) throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        ByteBuffer out = ByteBuffer.wrap(bytes);
        SelectionKey key = channel.keyFor(selector);
        while (out.hasRemaining()) {
            channel.write(out);
            if (!out.hasRemaining()) {
                break;
            }
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                key.interestOps(SelectionKey.OP_READ);
                throw new IOException("write not finished after " + bound + ": " + out.remaining() + " bytes left");
            }
            selector.select(Math.max(1, left / 1_000_000));
            selector.selectedKeys().clear();
            drain();
        }
        key.interestOps(SelectionKey.OP_READ);
    }

    /** Reads until {@code done} holds for what was received, EOF, or the bound passes; returns whether done. */
    boolean readUntil(Predicate<byte[]> done, Duration bound) throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        drain();
        while (!done.test(received()) && !eof) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            selector.select(Math.max(1, left / 1_000_000));
            selector.selectedKeys().clear();
            drain();
        }
        return done.test(received());
    }

    /** Waits the whole window for anything to arrive; returns the number of bytes that did. */
    int quietFor(Duration window) throws IOException {
        int before = received.size();
        readUntil(r -> r.length > before, window);
        return received.size() - before;
    }

    /** Reads what is already there without waiting. */
    void drain() throws IOException {
        if (eof) {
            return;
        }
        while (true) {
            buffer.clear();
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException e) {
                // Connection reset by the server counts as end of stream, as for a recorder's read().
                n = -1;
            }
            if (n < 0) {
                eof = true;
                return;
            }
            if (n == 0) {
                return;
            }
            received.write(buffer.array(), 0, n);
        }
    }

    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
