package io.qmpd.bench.side;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;

/**
 * The multi-socket figures on one selector: pipelined throughput (a window of requests in
 * flight per monitor) and event fan-out (how long until every monitor has its event line).
 * The sockets are switched to non-blocking for the figure and back to blocking afterwards.
 */
final class Multiplex {

    private Multiplex() {}

    /**
     * Keeps {@code window} {@code query-version} requests in flight on every socket for
     * {@code nanos}, then drains; returns replies per second.
     */
    static double throughput(List<QmpSocket> sockets, int window, long nanos) throws IOException {
        int[] outstanding = new int[sockets.size()];
        long replies = 0;
        try (Selector sel = Selector.open()) {
            for (int i = 0; i < sockets.size(); i++) {
                QmpSocket s = sockets.get(i);
                for (int w = 0; w < window; w++) {
                    s.write(QmpSocket.QUERY_VERSION);
                }
                outstanding[i] = window;
                s.channel().configureBlocking(false);
                s.channel().register(sel, SelectionKey.OP_READ, i);
            }
            long t0 = System.nanoTime();
            long end = t0 + nanos;
            long now = t0;
            while (now < end) {
                sel.select(100);
                for (SelectionKey k : sel.selectedKeys()) {
                    int i = (Integer) k.attachment();
                    QmpSocket s = sockets.get(i);
                    int lines = s.readAvailable();
                    replies += lines;
                    for (int r = 0; r < lines; r++) {
                        s.write(QmpSocket.QUERY_VERSION);
                    }
                }
                sel.selectedKeys().clear();
                now = System.nanoTime();
            }
            double rate = replies / ((now - t0) / 1e9);
            drain(sel, sockets, outstanding, window);
            return rate;
        }
    }

    /** Reads until every socket has had {@code window} more lines than it had written. */
    private static void drain(Selector sel, List<QmpSocket> sockets, int[] outstanding, int window) throws IOException {
        int left = sockets.size();
        while (left > 0) {
            sel.select(1000);
            for (SelectionKey k : sel.selectedKeys()) {
                int i = (Integer) k.attachment();
                if (outstanding[i] > 0) {
                    outstanding[i] -= sockets.get(i).readAvailable();
                    if (outstanding[i] <= 0) {
                        left--;
                    }
                }
            }
            sel.selectedKeys().clear();
        }
        blocking(sel, sockets);
    }

    /**
     * Writes {@code request} on {@code trigger} (one of {@code sockets}) and waits until every
     * socket has {@code eventLines} new lines and the trigger one more (its reply). Returns the
     * nanoseconds from the write until the last socket had them all.
     */
    static long fanOut(List<QmpSocket> sockets, QmpSocket trigger, byte[] request) throws IOException {
        int[] want = new int[sockets.size()];
        try (Selector sel = Selector.open()) {
            for (int i = 0; i < sockets.size(); i++) {
                QmpSocket s = sockets.get(i);
                want[i] = s == trigger ? 2 : 1;
                s.channel().configureBlocking(false);
                s.channel().register(sel, SelectionKey.OP_READ, i);
            }
            int left = sockets.size();
            // The JDK adds registered channels to epoll at the next select: done here, so the
            // round times the server and not the client's thousand epoll_ctl calls
            sel.selectNow();
            long t0 = System.nanoTime();
            trigger.write(request);
            while (left > 0) {
                sel.select(1000);
                for (SelectionKey k : sel.selectedKeys()) {
                    int i = (Integer) k.attachment();
                    if (want[i] > 0) {
                        want[i] -= sockets.get(i).readAvailable();
                        if (want[i] <= 0) {
                            left--;
                        }
                    }
                }
                sel.selectedKeys().clear();
            }
            long t1 = System.nanoTime();
            blocking(sel, sockets);
            return t1 - t0;
        }
    }

    private static void blocking(Selector sel, List<QmpSocket> sockets) throws IOException {
        for (SelectionKey k : sel.keys()) {
            k.cancel();
        }
        sel.selectNow(); // deregisters the cancelled keys
        for (QmpSocket s : sockets) {
            s.channel().configureBlocking(true);
        }
    }
}
