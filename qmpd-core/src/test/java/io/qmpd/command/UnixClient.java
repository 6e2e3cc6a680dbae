package io.qmpd.command;

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

/**
 * A real QMP client on a unix socket: writes whole strings, reads {@code \r\n}-terminated lines
 * with a bounded wait (no sleeps), tells EOF apart. Lines starting with {@code {"timestamp"} are
 * events; {@link #reply()} collects them in {@link #events} and returns the next other line.
 * Confined to one thread.
 */
final class UnixClient implements AutoCloseable {

    static final long TIMEOUT_NANOS = 3_000_000_000L;

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 16);
    private final StringBuilder pending = new StringBuilder();
    private boolean eof;
    final List<String> events = new ArrayList<>();

    private UnixClient(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    static UnixClient connect(Path path) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(path));
            return new UnixClient(ch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(String text) {
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
    String nextOrEof() {
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
    String next() {
        String line = nextOrEof();
        if (line == null) {
            throw new AssertionError("EOF, expected a line");
        }
        return line;
    }

    /** The next line that is not an event (events go to {@link #events}). */
    String reply() {
        while (true) {
            String line = next();
            if (line.startsWith("{\"timestamp\"")) {
                events.add(line);
            } else {
                return line;
            }
        }
    }

    /** Sends {@code json + "\n"} and returns the reply (skipping events). */
    String call(String json) {
        send(json + "\n");
        return reply();
    }

    /** Reads the greeting and negotiates; fails otherwise. */
    UnixClient negotiate() {
        return negotiate("{\"execute\": \"qmp_capabilities\"}");
    }

    /** Reads the greeting and negotiates with {@code oob} enabled. */
    UnixClient negotiateOob() {
        return negotiate("{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}");
    }

    private UnixClient negotiate(String caps) {
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
    List<String> drainToEof() {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = nextOrEof()) != null) {
            lines.add(line);
        }
        return lines;
    }

    @Override
    public void close() {
        try {
            selector.close();
            channel.close();
        } catch (IOException e) {
            // Close path of a test client: nothing left to do.
            throw new UncheckedIOException(e);
        }
    }
}
