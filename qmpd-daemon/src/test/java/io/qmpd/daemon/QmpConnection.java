package io.qmpd.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/** A test's client on a unix socket: send lines, read CRLF-ended lines (blocking, interruptible: junit-platform.properties bounds each test). */
final class QmpConnection implements AutoCloseable {

    private final SocketChannel channel;
    private final InputStream in;

    QmpConnection(Path socket) throws IOException {
        channel = connect(socket);
        in = Channels.newInputStream(channel);
    }

    /** The socket file appears at bind, before listen: retry a refused connect for a bounded time. */
    private static SocketChannel connect(Path socket) throws IOException {
        long deadline = System.nanoTime() + DaemonProcess.BOUND.toNanos();
        while (true) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                return ch;
            } catch (ConnectException e) {
                ch.close();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(5_000_000L); // bounded poll
            }
        }
    }

    void send(String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** The next line without its CRLF, or null at EOF. */
    String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
            }
            buf.write(c);
        }
        String s = buf.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Sends {@code command} and returns the next line. */
    String call(String command) throws IOException {
        send(command + "\n");
        return line();
    }

    /** Reads the greeting and negotiates. */
    QmpConnection negotiate() throws IOException {
        line();
        call("{\"execute\": \"qmp_capabilities\"}");
        return this;
    }

    /** A line with the event timestamp replaced by {@code T}. */
    static String untimed(String line) {
        return line == null
                ? null
                : line.replaceAll("\"timestamp\": \\{\"seconds\": \\d+, \"microseconds\": \\d+\\}", "T");
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
