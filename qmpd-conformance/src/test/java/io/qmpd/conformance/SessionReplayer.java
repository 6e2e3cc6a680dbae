package io.qmpd.conformance;

import io.qmpd.conformance.ConformanceCase.Exchange;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Replays one recorded case against a running server: one unix-socket connection per {@code conn}
 * index (opened at its first exchange), each {@code send} in one write, and before anything is done
 * on a connection, everything recorded as received on it so far is awaited (bounded). A connection
 * the recording shows silent after a send is watched for a short window to prove it stays silent.
 *
 * <p>Confined to the test thread.
 */
final class SessionReplayer {

    private final Path dir;
    private final Duration baseBound;
    private final Duration quietWindow;

    SessionReplayer(Path dir, Duration baseBound, Duration quietWindow) {
        this.dir = dir;
        this.baseBound = baseBound;
        this.quietWindow = quietWindow;
    }

    /**
     * Sessions whose recording says the order of replies depends on timing (072: four slow
     * in-band replies and an out-of-band one written by different threads): their lines are
     * compared in any order.
     */
    private static final Set<String> REPLY_ORDER_BY_TIMING = Set.of("072-oob_overtakes_in_band");

    /** Problems found, one line (or diff) each; empty when the server behaved as recorded. */
    List<String> replay(ConformanceCase c) throws IOException {
        // Large payloads take the server time to chew: 20 s more per MiB written.
        Duration bound = baseBound.plusSeconds(20 * (c.bytesSent() >> 20));
        List<String> problems = new ArrayList<>();
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < c.sockets().size(); i++) {
            peers.add(new Peer(i, dir.resolve(c.sockets().get(i) + ".sock")));
        }
        try {
            for (Exchange e : c.exchanges()) {
                Peer p = peers.get(e.conn());
                if (p.failed) {
                    continue;
                }
                switch (e.dir()) {
                    case RECV -> {
                        p.connect(problems);
                        p.expected.expect(e.bytes());
                        p.awaitingReply = false;
                    }
                    case SEND -> {
                        if (p.connect(problems)) {
                            // Everything recorded before this write had arrived on every connection
                            // (case 114: an HMP client's stop is done before another client negotiates).
                            for (Peer other : peers) {
                                if (other.connection != null && !other.failed && !other.closed) {
                                    other.settle(bound, problems);
                                }
                            }
                            if (p.failed) {
                                continue;
                            }
                            try {
                                p.connection.send(e.bytes(), bound);
                            } catch (IOException ex) {
                                p.failed = true;
                                problems.add("conn " + p.index + ": " + ex.getMessage());
                            }
                            p.awaitingReply = true;
                        }
                    }
                    case INFO -> info(p, e.note(), bound, problems);
                }
            }
            for (Peer p : peers) {
                p.close(bound, problems);
            }
            for (Peer p : peers) {
                if (p.connection != null) {
                    p.expected
                            .mismatch(p.connection.received(), REPLY_ORDER_BY_TIMING.contains(c.name()))
                            .ifPresent(diff ->
                                    problems.add("conn " + p.index + " (" + p.socket.getFileName() + "): " + diff));
                }
            }
        } finally {
            for (Peer p : peers) {
                if (p.connection != null) {
                    p.connection.close();
                }
            }
        }
        return problems;
    }

    private void info(Peer p, String note, Duration bound, List<String> problems) throws IOException {
        if (note.equals("client closed connection")) {
            p.close(bound, problems);
        } else if (note.equals("client closed without reading")) {
            if (p.connection != null) {
                // Whatever the server sent after the last read stays unread, as for the recorder.
                p.closed = true;
                p.connection.close();
            }
        } else if (note.equals("client did shutdown(SHUT_WR)")) {
            if (p.connect(problems)) {
                p.settle(bound, problems);
                p.connection.shutdownOutput();
            }
        } else if (note.equals("EOF from QEMU")) {
            if (p.connect(problems)) {
                p.settle(bound, problems);
                if (!p.connection.readUntil(r -> false, bound) && !p.connection.eof()) {
                    problems.add("conn " + p.index + ": server did not close the connection within " + bound);
                }
            }
        } else if (note.startsWith("connected to ")) {
            // The server creates this socket while handling a command: wait for it to appear.
            p.connectWhenPresent(bound, problems);
        } else if (note.startsWith("timeout: expected")) {
            if (p.connect(problems)) {
                p.settle(bound, problems);
                p.awaitingReply = true;
                p.quiet(problems);
            }
        } else {
            throw new IllegalArgumentException("info note: " + note + " (expected one the corpus README lists)");
        }
    }

    /** One connection of the case. */
    private final class Peer {
        final int index;
        final Path socket;
        final Transcript expected = new Transcript();
        ClientConnection connection;
        boolean awaitingReply;
        boolean failed;
        boolean closed;

        Peer(int index, Path socket) {
            this.index = index;
            this.socket = socket;
        }

        boolean connect(List<String> problems) {
            if (connection != null || failed) {
                return !failed;
            }
            try {
                connection = ClientConnection.connect(socket);
                return true;
            } catch (IOException e) {
                failed = true;
                problems.add("conn " + index + ": cannot connect to " + socket + ": " + e);
                return false;
            }
        }

        void connectWhenPresent(Duration bound, List<String> problems) throws IOException {
            if (!failed && connection == null && !ClientConnection.awaitPath(socket, bound)) {
                failed = true;
                problems.add("conn " + index + ": " + socket + " did not appear within " + bound);
                return;
            }
            connect(problems);
        }

        /** Waits (bounded) for everything recorded as received so far. */
        void settle(Duration bound, List<String> problems) throws IOException {
            if (!connection.readUntil(expected::satisfiedBy, bound)) {
                // One timeout is enough: the rest of this connection would only wait again.
                failed = true;
                problems.add("conn " + index + ": "
                        + (connection.eof() ? "connection closed by the server" : "nothing more within " + bound)
                        + " while waiting for " + expected.newlines()
                        + " line(s) in all");
            }
        }

        void quiet(List<String> problems) throws IOException {
            if (awaitingReply && expected.satisfiedBy(connection.received())) {
                awaitingReply = false;
                int extra = connection.quietFor(quietWindow);
                if (extra > 0) {
                    problems.add("conn " + index + ": " + extra + " byte(s) arrived where the recording shows silence");
                }
            }
        }

        void close(Duration bound, List<String> problems) throws IOException {
            if (connection == null || closed) {
                return;
            }
            closed = true;
            settle(bound, problems);
            // The recording shows nothing after the last send: prove it for a short window.
            quiet(problems);
            connection.drain();
            connection.close();
        }
    }
}
