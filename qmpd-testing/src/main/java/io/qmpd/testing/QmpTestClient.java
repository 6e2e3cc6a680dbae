package io.qmpd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The raw QMP test client every module's tests share: a real unix socket, whole strings written,
 * {@code \r\n}-terminated lines read with a bounded wait (no sleeps), EOF told apart from a line.
 * Lines starting with {@code {"timestamp"} are events: {@link #reply()} and {@link #call} collect
 * them in {@link #events} and return the next other line, while {@link #line()} and
 * {@link #ask} hand over whatever comes next, events included. Confined to one thread.
 */
public final class QmpTestClient implements AutoCloseable {

    /** How long a read waits for a line, and a connect for its socket, before the test fails. */
    public static final long TIMEOUT_NANOS = 20_000_000_000L;

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 16);
    private final StringBuilder pending = new StringBuilder();
    private boolean eof;
    /** The events {@link #reply()} stepped over, in order. */
    public final List<String> events = new ArrayList<>();

    private QmpTestClient(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    /** Connects to the unix socket at {@code path}, waiting (bounded) until it exists and accepts. */
    public static QmpTestClient connect(Path path) {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (true) {
            SocketChannel ch = null;
            try {
                ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.connect(UnixDomainSocketAddress.of(path));
                return new QmpTestClient(ch);
            } catch (IOException e) {
                closeQuietly(ch);
                if (System.nanoTime() > deadline) {
                    throw new UncheckedIOException("cannot connect to " + path, e);
                }
                LockSupport.parkNanos(10_000_000L); // the server has not bound the socket yet
            }
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // a channel that never connected: nothing held
            }
        }
    }

    public void send(String text) {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        try {
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    Thread.onSpinWait();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next line (with its {@code \r\n}), or null at EOF; fails after the timeout. */
    public String nextOrEof() {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (true) {
            int nl = pending.indexOf("\n");
            if (nl >= 0) {
                String line = pending.substring(0, nl + 1);
                pending.delete(0, nl + 1);
                return line;
            }
            if (eof) {
                if (pending.length() > 0) {
                    throw new AssertionError("EOF after a partial line: " + pending);
                }
                return null;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no line within the timeout; partial: " + pending);
            }
            readSome(Math.max(1, left / 1_000_000));
        }
    }

    private void readSome(long millis) {
        try {
            selector.select(millis);
            selector.selectedKeys().clear();
            in.clear();
            int n;
            while ((n = channel.read(in)) > 0) {
                in.flip();
                pending.append(StandardCharsets.UTF_8.decode(in));
                in.clear();
            }
            if (n < 0) {
                eof = true;
            }
        } catch (IOException e) {
            eof = true; // a reset connection is an EOF for these tests
        }
    }

    /** The next line; fails at EOF. */
    public String next() {
        String line = nextOrEof();
        if (line == null) {
            throw new AssertionError("EOF, expected a line");
        }
        return line;
    }

    /** The next line without its {@code \r\n} (events included), or null at EOF. */
    public String line() {
        String line = nextOrEof();
        return line == null ? null : line.substring(0, line.length() - (line.endsWith("\r\n") ? 2 : 1));
    }

    /** The next line that is not an event (events go to {@link #events}). */
    public String reply() {
        while (true) {
            String line = next();
            if (line.startsWith("{\"timestamp\"")) {
                events.add(line);
            } else {
                return line;
            }
        }
    }

    /** Sends {@code json + "\n"} and returns the reply, with its {@code \r\n} (events stepped over). */
    public String call(String json) {
        send(json + "\n");
        return reply();
    }

    /** Sends {@code json + "\n"} and returns the next line, without its {@code \r\n}: an event, maybe. */
    public String ask(String json) {
        send(json + "\n");
        return line();
    }

    /** Reads the greeting and negotiates; fails otherwise. */
    public QmpTestClient negotiate() {
        return negotiate("{\"execute\": \"qmp_capabilities\"}");
    }

    /** Reads the greeting and negotiates with {@code oob} enabled. */
    public QmpTestClient negotiateOob() {
        return negotiate("{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}");
    }

    private QmpTestClient negotiate(String caps) {
        String greeting = next();
        if (!greeting.startsWith("{\"QMP\": ")) {
            throw new AssertionError("expected a greeting: " + greeting);
        }
        String ok = call(caps);
        if (!ok.equals("{\"return\": {}}\r\n")) {
            throw new AssertionError("negotiation failed: " + ok);
        }
        return this;
    }

    /** Reads to EOF, returning every line that came before it (events included). */
    public List<String> drainToEof() {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = nextOrEof()) != null) {
            lines.add(line);
        }
        return lines;
    }

    /** {@code line} with an event's timestamp replaced by {@code T}, for comparing events. */
    public static String untimed(String line) {
        return line == null
                ? null
                : line.replaceAll("\"timestamp\": \\{\"seconds\": \\d+, \"microseconds\": \\d+\\}", "T");
    }

    @Override
    public void close() {
        try {
            selector.close();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
