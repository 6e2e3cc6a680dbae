package io.qmpd.bench.side;

import io.qmpd.bench.side.ServerProcess.Kind;
import io.qmpd.bench.side.ServerProcess.Launch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures both servers share, for one kind of server. Each figure's result goes into
 * {@link #values} under a key (see {@link SideBySide} for the table). Everything after start-up
 * is measured warmed up: the same warm-up load runs against both servers first.
 */
final class Measure {

    static final int MONITORS = 1_000;
    /** Blocks of the interleaved round trips, on each side. */
    static final int BLOCKS = 20;
    /** Blocks of the interleaved throughput, on each side; together as long as the throughput figure. */
    static final int THROUGHPUT_BLOCKS = 6;

    private static final byte[] STOP = QmpSocket.bytes("{\"execute\":\"stop\"}\n");
    private static final byte[] CONT = QmpSocket.bytes("{\"execute\":\"cont\"}\n");
    private static final byte[] SCHEMA = QmpSocket.bytes("{\"execute\":\"query-qmp-schema\"}\n");

    private final Launch launch;
    private final Kind kind;
    private final Path dir;
    private final Scale scale;
    final Map<String, Double> values = new LinkedHashMap<>();

    /** How much of each figure to run: {@code quick} for a smoke run of the harness itself. */
    record Scale(int startups, int latencyRounds, int schemaRounds, long throughputNanos, int fanOutRounds) {
        static Scale full() {
            return new Scale(7, 20_000, 60, 3_000_000_000L, 60);
        }

        static Scale quick() {
            return new Scale(2, 2_000, 5, 300_000_000L, 3);
        }
    }

    Measure(Launch launch, Kind kind, Path dir, Scale scale) {
        this.launch = launch;
        this.kind = kind;
        this.dir = dir;
        this.scale = scale;
    }

    /** Cold start-up: process start until the qmp_capabilities reply; then one query-version. */
    void startUp() throws Exception {
        long[] up = new long[scale.startups()];
        long[] first = new long[scale.startups()];
        for (int r = 0; r < up.length; r++) {
            try (ServerProcess p = ServerProcess.start(launch, kind, dir.resolve("start" + r), 1)) {
                try (QmpSocket s = QmpSocket.connect(p.socket(0), 60_000_000_000L)) {
                    s.negotiate(false);
                    up[r] = System.nanoTime() - p.startedNanos();
                    long t = System.nanoTime();
                    s.call("{\"execute\":\"query-version\"}\n");
                    first[r] = System.nanoTime() - t;
                }
            }
        }
        values.put("startup_ms", pct(up, 50) / 1e6);
        values.put("first_request_us", pct(first, 50) / 1e3);
    }

    /**
     * One monitor (the usual set-up): idle RSS, then, warmed up, query-version latency,
     * throughput with 8 in flight and query-qmp-schema on it.
     */
    void oneMonitor() throws Exception {
        // Clients stay connected until the server is gone: qmpd once closed a random descriptor
        // when the junixsocket view of a closed client was garbage collected (docs/performance.md).
        try (ServerProcess p = ServerProcess.start(launch, kind, dir.resolve("one"), 1);
                QmpSocket s = p.client(0, true)) {
            Thread.sleep(500);
            values.put("rss1_kib", (double) p.rssKiB());
            if (kind != Kind.QEMU) {
                values.put("heap1_kib", (double) p.liveHeapKiB());
            }
            warmUp(s, scale.latencyRounds(), scale);
            if (kind == Kind.BROKER) {
                try (QmpSocket own = p.upstreamClient(true)) {
                    warmUp(own, scale.latencyRounds(), scale);
                    roundTripsInterleaved(s, own);
                }
            }
            roundTripAndThroughput(s);
            long[] sch = new long[scale.schemaRounds()];
            for (int i = 0; i < sch.length; i++) {
                long t = System.nanoTime();
                s.write(SCHEMA);
                s.skipLineBlocking();
                sch[i] = System.nanoTime() - t;
            }
            values.put("schema_ms", pct(sch, 50) / 1e6);
            p.checkAlive();
        }
    }

    /** Through a byte pump (one client): the round trip and the throughput of {@link #oneMonitor()}. */
    void throughPump() throws Exception {
        try (ServerProcess p = ServerProcess.start(launch, kind, dir.resolve("pump"), 1);
                QmpSocket s = p.client(0, true)) {
            warmUp(s, scale.latencyRounds(), scale);
            roundTripAndThroughput(s);
            p.checkAlive();
        }
    }

    /**
     * The broker's round trip and throughput against its own QEMU's, in the same minutes:
     * sequential query-version round trips in {@value #BLOCKS} blocks, alternately through the
     * broker ({@code broker}) and on a monitor of the same QEMU ({@code own}), so that what the
     * machine does meanwhile weighs on both alike; each side's p50 over all its blocks. Then the
     * throughput with 8 in flight in {@value #THROUGHPUT_BLOCKS} blocks a side, alternating; each
     * side's mean rate.
     */
    private void roundTripsInterleaved(QmpSocket broker, QmpSocket own) throws IOException {
        int perBlock = scale.latencyRounds() / BLOCKS;
        long[] viaBroker = new long[perBlock * BLOCKS];
        long[] direct = new long[perBlock * BLOCKS];
        for (int b = 0; b < BLOCKS; b++) {
            roundTrips(broker, viaBroker, b * perBlock, perBlock);
            roundTrips(own, direct, b * perBlock, perBlock);
        }
        values.put("interleaved_latency_p50_us", pct(viaBroker, 50) / 1e3);
        values.put("upstream_latency_p50_us", pct(direct, 50) / 1e3);
        double brokerRate = 0;
        double directRate = 0;
        for (int b = 0; b < THROUGHPUT_BLOCKS; b++) {
            brokerRate += Multiplex.throughput(List.of(broker), 8, scale.throughputNanos() / THROUGHPUT_BLOCKS);
            directRate += Multiplex.throughput(List.of(own), 8, scale.throughputNanos() / THROUGHPUT_BLOCKS);
        }
        values.put("interleaved_throughput_1", brokerRate / THROUGHPUT_BLOCKS);
        values.put("upstream_throughput_1", directRate / THROUGHPUT_BLOCKS);
    }

    private static void roundTrips(QmpSocket s, long[] into, int from, int count) throws IOException {
        for (int i = from; i < from + count; i++) {
            long t = System.nanoTime();
            s.write(QmpSocket.QUERY_VERSION);
            s.skipLineBlocking();
            into[i] = System.nanoTime() - t;
        }
    }

    /** Sequential query-version round trips (p50, p99), then throughput with 8 in flight. */
    private void roundTripAndThroughput(QmpSocket s) throws IOException {
        long[] rt = new long[scale.latencyRounds()];
        roundTrips(s, rt, 0, rt.length);
        values.put("latency_p50_us", pct(rt, 50) / 1e3);
        values.put("latency_p99_us", pct(rt, 99) / 1e3);
        values.put("throughput_1", Multiplex.throughput(List.of(s), 8, scale.throughputNanos()));
    }

    /** 100 monitors on the command line, all negotiated with oob: throughput and fan-out. */
    void hundredMonitors() throws Exception {
        List<QmpSocket> clients = new ArrayList<>();
        try (ServerProcess p = ServerProcess.start(launch, kind, dir.resolve("hundred"), 100)) {
            for (int i = 0; i < 100; i++) {
                clients.add(p.client(i, true));
            }
            warmUp(clients.get(0), scale.latencyRounds() / 10, scale);
            Multiplex.throughput(clients, 8, scale.throughputNanos() / 3); // warm-up with 100
            values.put("throughput_100", Multiplex.throughput(clients, 8, scale.throughputNanos()));
            values.put("fanout_100_ms", fanOut(clients) / 1e6);
            p.checkAlive();
        } finally {
            for (QmpSocket c : clients) {
                c.close();
            }
        }
    }

    /**
     * {@value #MONITORS} monitors on the command line: idle RSS, fan-out to all of them, RSS with
     * every one negotiated. Per-monitor memory is the growth over {@link #oneMonitor()}'s RSS.
     */
    void thousandMonitors() throws Exception {
        List<QmpSocket> clients = new ArrayList<>();
        try (ServerProcess p = ServerProcess.start(launch, kind, dir.resolve("many"), MONITORS)) {
            clients.add(p.client(MONITORS - 1, true)); // it is up; the baseline had one client too
            Thread.sleep(500);
            double rss1 = values.get("rss1_kib");
            values.put("rss_idle_per_monitor_kib", (p.rssKiB() - rss1) / (MONITORS - 1));
            if (kind != Kind.QEMU) {
                values.put("heap_idle_per_monitor_kib", (p.liveHeapKiB() - values.get("heap1_kib")) / (MONITORS - 1));
            }
            for (int i = 0; i < MONITORS - 1; i++) {
                clients.add(p.client(i, true));
            }
            warmUp(clients.get(0), scale.latencyRounds() / 10, scale);
            values.put("fanout_1000_ms", fanOut(clients) / 1e6);
            values.put("rss_connected_per_monitor_kib", (p.rssKiB() - rss1) / (MONITORS - 1));
            p.checkAlive();
        } finally {
            for (QmpSocket c : clients) {
                c.close();
            }
        }
    }

    /** The same warm-up for both: round trips, pipelined load and schema replies. */
    private static void warmUp(QmpSocket s, int rounds, Scale scale) throws IOException {
        for (int i = 0; i < rounds; i++) {
            s.write(QmpSocket.QUERY_VERSION);
            s.skipLineBlocking();
        }
        Multiplex.throughput(List.of(s), 8, scale.throughputNanos() / 3);
        for (int i = 0; i < Math.max(3, scale.schemaRounds() / 3); i++) {
            s.write(SCHEMA);
            s.skipLineBlocking();
        }
    }

    /**
     * The broker's fan-out against QEMU's in the same minutes: a QEMU with {@value #MONITORS}
     * monitors of its own and a broker with as many sessions run side by side, every client
     * negotiated, and the rounds of {@link #fanOut} alternate between them, so that what the
     * machine does meanwhile weighs on both alike. Returns {@code qemu_fanout_1000_ms} and
     * {@code broker_fanout_1000_ms}.
     */
    static Map<String, Double> fanOutInterleaved(Launch launch, Path dir, Scale scale) throws Exception {
        List<QmpSocket> own = new ArrayList<>();
        List<QmpSocket> sessions = new ArrayList<>();
        try (ServerProcess q = ServerProcess.start(launch, Kind.QEMU, dir.resolve("qemu"), MONITORS);
                ServerProcess b = ServerProcess.start(launch, Kind.BROKER, dir.resolve("broker"), MONITORS)) {
            for (int i = 0; i < MONITORS; i++) {
                own.add(q.client(i, true));
                sessions.add(b.client(i, true));
            }
            warmUp(own.get(0), scale.latencyRounds() / 10, scale);
            warmUp(sessions.get(0), scale.latencyRounds() / 10, scale);
            long[] onQemu = new long[scale.fanOutRounds()];
            long[] viaBroker = new long[scale.fanOutRounds()];
            for (int r = -2; r < onQemu.length; r++) { // two rounds of warm-up
                long tq = fanOutRound(own);
                long tb = fanOutRound(sessions);
                if (r >= 0) {
                    onQemu[r] = tq;
                    viaBroker[r] = tb;
                }
            }
            q.checkAlive();
            b.checkAlive();
            return Map.of(
                    "qemu_fanout_1000_ms", pct(onQemu, 50) / 1e6, "broker_fanout_1000_ms", pct(viaBroker, 50) / 1e6);
        } finally {
            for (QmpSocket c : own) {
                c.close();
            }
            for (QmpSocket c : sessions) {
                c.close();
            }
        }
    }

    /** One round: cont (RESUME everywhere, not timed), then stop, timed until every client has its STOP. */
    private static long fanOutRound(List<QmpSocket> clients) throws IOException {
        Multiplex.fanOut(clients, clients.get(0), CONT);
        return Multiplex.fanOut(clients, clients.get(0), STOP);
    }

    /** The median over rounds of: cont (RESUME everywhere, not timed), then stop (timed STOP). */
    private long fanOut(List<QmpSocket> clients) throws IOException {
        long[] t = new long[scale.fanOutRounds()];
        for (int r = -2; r < t.length; r++) { // two rounds of warm-up
            long ns = fanOutRound(clients);
            if (r >= 0) {
                t[r] = ns;
            }
        }
        return pct(t, 50);
    }

    static long pct(long[] samples, int p) {
        long[] s = samples.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }
}
