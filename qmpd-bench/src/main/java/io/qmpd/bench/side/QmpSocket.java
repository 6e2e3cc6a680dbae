package io.qmpd.bench.side;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * A minimal QMP client over a unix socket: writes raw request bytes, reads CRLF-terminated lines.
 * Nothing is parsed; callers look for substrings. Blocking by default; the selector-driven
 * figures switch it to non-blocking and feed it with {@link #readAvailable()}.
 *
 * <p>Not thread-safe: one thread per socket.
 */
final class QmpSocket implements AutoCloseable {

    static final byte[] QUERY_VERSION = bytes("{\"execute\":\"query-version\"}\n");
    static final byte[] NEGOTIATE = bytes("{\"execute\":\"qmp_capabilities\"}\n");
    static final byte[] NEGOTIATE_OOB =
            bytes("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}\n");

    private final SocketChannel channel;
    private ByteBuffer in;
    private int lineStart;

    private QmpSocket(SocketChannel channel) {
        this(channel, 64 * 1024, new byte[0]);
    }

    /** Reads into a buffer of {@code capacity} bytes (it grows for longer lines) that starts with {@code read}. */
    private QmpSocket(SocketChannel channel, int capacity, byte[] read) {
        this.channel = channel;
        this.in = ByteBuffer.allocate(Math.max(capacity, read.length)).put(read).flip();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Connects, retrying until the socket exists and accepts or {@code timeoutNanos} pass. */
    static QmpSocket connect(Path path, long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            try {
                return new QmpSocket(SocketChannel.open(UnixDomainSocketAddress.of(path)));
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("cannot connect to " + path + " in time", e);
                }
                LockSupport.parkNanos(100_000); // not a busy spin: the server needs the CPU to start
            }
        }
    }

    /**
     * A client on a connection a server made, in blocking mode, whose first bytes, {@code read},
     * were taken already; with a small buffer, for the thousands of idle sessions.
     */
    static QmpSocket adopt(SocketChannel channel, byte[] read) {
        return new QmpSocket(channel, 4096, read);
    }

    /** Connects, reads the greeting and negotiates (with oob if asked). */
    static QmpSocket negotiated(Path path, boolean oob) throws IOException {
        QmpSocket s = connect(path, 30_000_000_000L);
        s.negotiate(oob);
        return s;
    }

    void negotiate(boolean oob) throws IOException {
        expect(readLine(), "{\"QMP\"");
        write(oob ? NEGOTIATE_OOB : NEGOTIATE);
        expect(readLine(), "{\"return\": {}");
    }

    SocketChannel channel() {
        return channel;
    }

    void write(byte[] request) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(request);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** One request, one reply line (events before the reply are skipped); returns the reply. */
    String call(String request) throws IOException {
        write(bytes(request));
        return reply();
    }

    /** The next line that is not an event. */
    String reply() throws IOException {
        while (true) {
            String line = readLine();
            if (!line.startsWith("{\"timestamp\"") && !line.contains("\"event\":")) {
                return line;
            }
        }
    }

    /** The next line, without its CRLF. Blocking. */
    String readLine() throws IOException {
        int end = skipLine();
        while (end < 0) {
            if (fill() < 0) {
                throw new IOException("server closed the connection");
            }
            end = skipLine();
        }
        return new String(in.array(), lineStart, end - lineStart, StandardCharsets.UTF_8).strip();
    }

    /** Blocking: skips one whole line and returns its length, without decoding it. */
    int skipLineBlocking() throws IOException {
        int end = skipLine();
        while (end < 0) {
            if (fill() < 0) {
                throw new IOException("server closed the connection");
            }
            end = skipLine();
        }
        return end - lineStart;
    }

    /** Non-blocking use: reads what is there; returns the number of complete lines now buffered. */
    int readAvailable() throws IOException {
        if (fill() < 0) {
            throw new IOException("server closed the connection");
        }
        int lines = 0;
        while (skipLine() >= 0) {
            lines++;
        }
        return lines;
    }

    /** Position after the next newline (consumed), or -1. Remembers where the line started. */
    private int skipLine() {
        byte[] a = in.array();
        for (int i = in.position(); i < in.limit(); i++) {
            if (a[i] == '\n') {
                lineStart = in.position();
                in.position(i + 1);
                return i;
            }
        }
        return -1;
    }

    /** Compacts (or grows) the buffer and reads once. */
    private int fill() throws IOException {
        if (in.position() > 0) {
            in.compact();
        } else if (in.limit() == in.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
            bigger.put(in);
            in = bigger;
        } else {
            in.position(in.limit()).limit(in.capacity());
        }
        int n = channel.read(in);
        in.flip();
        return n;
    }

    private static void expect(String line, String prefix) throws IOException {
        if (!line.startsWith(prefix)) {
            throw new IOException("expected " + prefix + "..., got " + line);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
