package io.qmpd.chardev;

import io.qmpd.io.Errno;
import io.qmpd.io.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of a socket chardev: connects, and with a reconnect delay connects again
 * (without blocking: a non-blocking connect finished on the loop) after each failure or
 * disconnect, as QEMU's {@code reconnect} does. Loop thread only, except {@link #connectNow}.
 */
final class SocketDialer {

    private static final Logger log = LoggerFactory.getLogger(SocketDialer.class);

    private final SocketChardev chardev;
    private final SocketAddress address;
    private final long reconnectMillis;
    private SocketChannel pending;
    private SelectionKey pendingKey;
    private EventLoop.Timer retry;

    SocketDialer(SocketChardev chardev, SocketAddress address, long reconnectMillis) {
        this.chardev = chardev;
        this.address = address;
        this.reconnectMillis = reconnectMillis;
    }

    /**
     * A blocking connect for chardev creation without reconnect.
     *
     * @throws IOException with QEMU's text, e.g. {@code Failed to connect to '/p': No such file or directory}
     */
    static SocketChannel connectNow(SocketAddress address) throws IOException {
        SocketChannel ch = open(address);
        try {
            ch.connect(remote(address));
            return ch;
        } catch (IOException e) {
            ch.close();
            throw new IOException(failure(address, e), e);
        }
    }

    /** QEMU's connect error: the address, then strerror. */
    static String failure(SocketAddress address, IOException e) {
        String where = address instanceof SocketAddress.Unix unix
                ? unix.path().toString()
                : ((SocketAddress.Inet) address).host() + ":" + ((SocketAddress.Inet) address).service();
        return "Failed to connect to '" + where + "': " + Errno.text(e);
    }

    private static SocketChannel open(SocketAddress address) throws IOException {
        return address instanceof SocketAddress.Unix
                ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketChannel.open();
    }

    private static java.net.SocketAddress remote(SocketAddress address) {
        if (address instanceof SocketAddress.Unix unix) {
            return UnixDomainSocketAddress.of(unix.path());
        }
        SocketAddress.Inet inet = (SocketAddress.Inet) address;
        return new InetSocketAddress(inet.host(), inet.port());
    }

    /** Starts one non-blocking connect attempt. */
    void dial() {
        retry = null;
        if (chardev.isClosed()) {
            return;
        }
        try {
            SocketChannel ch = open(address);
            ch.configureBlocking(false);
            if (ch.connect(remote(address))) {
                chardev.connected(ch);
                return;
            }
            pending = ch;
            pendingKey = chardev.loop().register(ch, SelectionKey.OP_CONNECT, key -> finish());
        } catch (IOException e) {
            log.debug("chardev {}: {}", chardev.id(), failure(address, e));
            abandonPending();
            scheduleRetry();
        }
    }

    private void finish() {
        SocketChannel ch = pending;
        try {
            if (ch.finishConnect()) {
                // The chardev's register() reuses this key with its own handler.
                pending = null;
                pendingKey = null;
                chardev.connected(ch);
            }
        } catch (IOException e) {
            log.debug("chardev {}: {}", chardev.id(), failure(address, e));
            abandonPending();
            scheduleRetry();
        }
    }

    /** The connection went away: try again after the delay (QEMU: only with reconnect). */
    void disconnected() {
        scheduleRetry();
    }

    private void scheduleRetry() {
        if (reconnectMillis > 0 && !chardev.isClosed() && retry == null) {
            retry = chardev.loop().schedule(reconnectMillis, this::dial);
        }
    }

    private void abandonPending() {
        if (pendingKey != null) {
            pendingKey.cancel();
        }
        if (pending != null) {
            chardev.closeQuietly(pending);
        }
        pending = null;
        pendingKey = null;
    }

    void close() {
        if (retry != null) {
            retry.cancel();
            retry = null;
        }
        abandonPending();
    }
}
