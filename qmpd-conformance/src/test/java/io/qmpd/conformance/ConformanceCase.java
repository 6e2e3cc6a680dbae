package io.qmpd.conformance;

import java.util.List;
import java.util.Objects;

/**
 * One recorded session: its name (file name without {@code .jsonl}), the socket each connection
 * used, and the exchanges in time order.
 */
record ConformanceCase(String name, String caseName, String notes, List<String> sockets, List<Exchange> exchanges) {

    ConformanceCase {
        Objects.requireNonNull(name, "name");
        sockets = List.copyOf(sockets);
        exchanges = List.copyOf(exchanges);
    }

    /** What happened on one connection: bytes sent in one write, bytes received, or an event. */
    record Exchange(int conn, Direction dir, byte[] bytes, String note) {
        Exchange {
            if (conn < 0) {
                throw new IllegalArgumentException("conn: " + conn + " (expected: >= 0)");
            }
            Objects.requireNonNull(dir, "dir");
            bytes = bytes == null ? new byte[0] : bytes;
            note = note == null ? "" : note;
        }
    }

    enum Direction {
        SEND,
        RECV,
        INFO
    }

    /** Total bytes this case writes: large payloads get a longer bound per exchange. */
    long bytesSent() {
        return exchanges.stream()
                .filter(e -> e.dir() == Direction.SEND)
                .mapToLong(e -> e.bytes().length)
                .sum();
    }
}
