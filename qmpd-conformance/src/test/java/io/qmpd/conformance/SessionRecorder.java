package io.qmpd.conformance;

import io.qmpd.conformance.ConformanceCase.Direction;
import io.qmpd.conformance.ConformanceCase.Exchange;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Plays a recorded case's sends against a running server and records what the server answers, in
 * the corpus format: the tool that writes the first draft of an expected override
 * ({@code -Dqmpd.conformance.record=NNN,...}). Before each send (and at each close) it reads until
 * the connection has been quiet for a window, so a draft must be reviewed by eye before it
 * replaces QEMU's recording: only the documented differences may remain.
 *
 * <p>Confined to the test thread.
 */
final class SessionRecorder {

    private final Path dir;
    private final Duration bound;
    private final Duration quietWindow;

    SessionRecorder(Path dir, Duration bound, Duration quietWindow) {
        this.dir = dir;
        this.bound = bound;
        this.quietWindow = quietWindow;
    }

    /** The case with every {@code recv} replaced by what the server sent at that point. */
    ConformanceCase record(ConformanceCase c) throws IOException {
        List<Exchange> out = new ArrayList<>();
        List<ClientConnection> conns = new ArrayList<>();
        int[] seen = new int[c.sockets().size()];
        for (int i = 0; i < c.sockets().size(); i++) {
            conns.add(null);
        }
        try {
            for (Exchange e : c.exchanges()) {
                int i = e.conn();
                if (e.dir() == Direction.INFO && e.note().startsWith("connected to ")) {
                    ClientConnection.awaitPath(dir.resolve(c.sockets().get(i) + ".sock"), bound);
                }
                if (conns.get(i) == null) {
                    conns.set(
                            i, ClientConnection.connect(dir.resolve(c.sockets().get(i) + ".sock")));
                }
                ClientConnection conn = conns.get(i);
                switch (e.dir()) {
                    case RECV -> {
                        // replaced by what the server sends
                    }
                    case SEND -> {
                        capture(conn, i, seen, out);
                        out.add(e);
                        conn.send(e.bytes(), bound);
                    }
                    case INFO -> {
                        if (e.note().equals("client closed without reading")) {
                            out.add(e);
                            conn.close();
                            continue;
                        }
                        if (e.note().equals("EOF from QEMU")) {
                            conn.readUntil(r -> false, bound);
                        }
                        capture(conn, i, seen, out);
                        out.add(e);
                        if (e.note().equals("client closed connection")) {
                            conn.close();
                        } else if (e.note().equals("client did shutdown(SHUT_WR)")) {
                            conn.shutdownOutput();
                        }
                    }
                }
            }
        } finally {
            for (ClientConnection conn : conns) {
                if (conn != null) {
                    conn.close();
                }
            }
        }
        return new ConformanceCase(c.name(), c.caseName(), c.notes(), c.sockets(), out);
    }

    /** Reads until quiet, then records the new bytes of connection {@code i} as one {@code recv}. */
    private void capture(ClientConnection conn, int i, int[] seen, List<Exchange> out) throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (conn.quietFor(quietWindow) > 0 && System.nanoTime() < deadline) {
            // keep reading while the server talks
        }
        byte[] all = conn.received();
        if (all.length > seen[i]) {
            out.add(new Exchange(i, Direction.RECV, Arrays.copyOfRange(all, seen[i], all.length), null));
            seen[i] = all.length;
        }
    }
}
