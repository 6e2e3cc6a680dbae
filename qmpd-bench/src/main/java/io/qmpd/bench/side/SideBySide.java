package io.qmpd.bench.side;

import io.qmpd.bench.side.Measure.Scale;
import io.qmpd.bench.side.ServerProcess.Kind;
import io.qmpd.bench.side.ServerProcess.Launch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * QEMU 7.2 and qmpd side by side: starts each with the same monitors, drives both with
 * {@link QmpSocket}, prints one markdown table (figure, QEMU, qmpd, ratio, target, met?) and
 * writes {@code results.md}, {@code results.tsv} and one PNG per figure into the output directory.
 *
 * <pre>java -cp benchmarks.jar io.qmpd.bench.side.SideBySide --qmpd-jar qmpd.jar --out DIR [--quick]
 *     [--qemu qemu-system-x86_64] [--dynamic 10000] [--java-opt OPT]... [--qmpd-arg ARG]... [--broker]</pre>
 *
 * <p>{@code --broker} measures qmpd as a broker in front of a QEMU ({@code -upstream}) against that
 * QEMU's own monitors instead: the same client, the same monitors, each a session on QEMU.
 *
 * <p>{@code --java-opt} goes to qmpd's JVM, {@code --qmpd-arg} to qmpd itself (say
 * {@code -io-poll-max-ns 50000}), both in the order given.
 */
public final class SideBySide {

    private SideBySide() {}

    public static void main(String[] args) throws Exception {
        String qemu = "qemu-system-x86_64";
        String jar = "qmpd-daemon/target/qmpd.jar";
        Path out = Path.of("bench-results");
        Scale scale = Scale.full();
        int dynamic = 10_000;
        boolean broker = false;
        List<String> javaOpts = new ArrayList<>();
        List<String> qmpdArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--qemu" -> qemu = args[++i];
                case "--qmpd-jar" -> jar = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> scale = Scale.quick();
                case "--dynamic" -> dynamic = Integer.parseInt(args[++i]);
                case "--java-opt" -> javaOpts.add(args[++i]);
                case "--qmpd-arg" -> qmpdArgs.add(args[++i]);
                case "--broker" -> broker = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (broker) {
            Dynamic.checkDescriptorsFor(dynamic);
        }
        List<String> qmpd = new ArrayList<>(List.of("java"));
        qmpd.addAll(javaOpts);
        qmpd.addAll(List.of("-jar", jar));
        qmpd.addAll(qmpdArgs);
        Launch launch = new Launch(qemu, qmpd);
        Files.createDirectories(out);
        Path work = Files.createTempDirectory("qmpd-side");
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();

        Map<String, Double> q = run(launch, Kind.QEMU, work.resolve("qemu"), scale);
        List<Figure> figures;
        Map<String, Double> d = null;
        if (broker) {
            Map<String, Double> p = pump(launch, work.resolve("pump"), scale);
            Map<String, Double> b = runUp(launch, Kind.BROKER, work.resolve("broker"), scale);
            System.err.println("QEMU and BROKER: fan-out, rounds alternating ...");
            Map<String, Double> f = Measure.fanOutInterleaved(launch, work.resolve("fanout"), scale);
            System.err.println("QEMU and BROKER: " + f);
            b.putAll(f);
            System.err.println("broker: " + dynamic + " sessions ...");
            new Dynamic(launch, work.resolve("broker"), b).brokerSessions(dynamic);
            figures = new ArrayList<>(brokerFigures(q, b, dynamic));
            figures.addAll(pumpFigures(q, p));
        } else {
            d = run(launch, Kind.QMPD, work.resolve("qmpd"), scale);
            System.err.println("qmpd: dynamic monitors and churn ...");
            new Dynamic(launch, work.resolve("qmpd"), d).run(dynamic, scale.throughputNanos());
            figures = figures(q, d, dynamic);
        }
        StringBuilder md = new StringBuilder();
        md.append("| Figure | QEMU 7.2 | qmpd | qmpd / QEMU | Target | Met? |\n|---|---:|---:|---:|---|---|\n");
        StringBuilder tsv = new StringBuilder();
        for (Figure f : figures) {
            md.append(f.markdown()).append('\n');
            tsv.append(f.tsv()).append('\n');
        }
        if (d != null) {
            md.append("\nqmpd added ")
                    .append(Figure.fmt(d.get("dyn_monitors")))
                    .append(" monitors at ")
                    .append(Figure.fmt(d.get("dyn_add_per_s")))
                    .append(" chardev-add + monitor-add pairs/s; churn: ")
                    .append(Figure.fmt(d.get("churn_failures")))
                    .append(" clients refused or hung up on before negotiating;");
        }
        md.append("\nLoad average ")
                .append(loadBefore)
                .append(" before, ")
                .append(Files.readString(Path.of("/proc/loadavg")).strip())
                .append(" after.\n");
        System.out.print(md);
        Files.writeString(out.resolve("results.md"), md);
        Files.writeString(out.resolve("results.tsv"), tsv);
        for (Figure f : figures) {
            BarChart.write(f, out.resolve("perf-" + f.key() + ".png"));
        }
        System.err.println("wrote " + out.resolve("results.md") + " and " + figures.size() + " PNGs");
    }

    private static Map<String, Double> run(Launch launch, Kind kind, Path dir, Scale scale) throws Exception {
        Measure m = new Measure(launch, kind, dir, scale);
        System.err.println(kind + ": start-up ...");
        m.startUp();
        return measureRunning(m, kind);
    }

    /** The figures of a server once up (a broker's start-up is its QEMU's and then its own). */
    private static Map<String, Double> runUp(Launch launch, Kind kind, Path dir, Scale scale) throws Exception {
        return measureRunning(new Measure(launch, kind, dir, scale), kind);
    }

    private static Map<String, Double> measureRunning(Measure m, Kind kind) throws Exception {
        System.err.println(kind + ": memory, latency, throughput, schema, fan-out ...");
        m.oneMonitor();
        m.hundredMonitors();
        m.thousandMonitors();
        System.err.println(kind + ": " + m.values);
        return m.values;
    }

    /** The round trip and throughput through socat, a byte pump in front of QEMU; empty without socat. */
    private static Map<String, Double> pump(Launch launch, Path dir, Scale scale) throws Exception {
        Measure m = new Measure(launch, Kind.PUMP, dir, scale);
        System.err.println("PUMP: latency, throughput through socat ...");
        try {
            m.throughPump();
        } catch (IOException e) {
            System.err.println("PUMP: skipped (" + e.getMessage() + ")");
            return Map.of();
        }
        System.err.println("PUMP: " + m.values);
        return m.values;
    }

    /**
     * What a proxy that parses nothing costs here: the floor under the broker's round trip and
     * throughput on this machine (no target; rows left out when socat could not run).
     */
    static List<Figure> pumpFigures(Map<String, Double> q, Map<String, Double> p) {
        if (p.isEmpty()) {
            return List.of();
        }
        double nan = Double.NaN;
        return List.of(
                new Figure(
                        "pump-latency-p50",
                        "query-version round trip p50, through socat (a byte pump, not qmpd)",
                        "µs",
                        q.get("latency_p50_us"),
                        p.get("latency_p50_us"),
                        true,
                        nan,
                        false),
                new Figure(
                        "pump-throughput-1",
                        "throughput, 1 session, 8 in flight, through socat (a byte pump, not qmpd)",
                        "req/s",
                        q.get("throughput_1"),
                        p.get("throughput_1"),
                        false,
                        nan,
                        false));
    }

    /** qmpd as a broker in front of a QEMU against that QEMU's own monitors (docs/broker.md). */
    static List<Figure> brokerFigures(Map<String, Double> q, Map<String, Double> b, int sessions) {
        double nan = Double.NaN;
        return List.of(
                new Figure(
                        "broker-latency-p50",
                        "query-version round trip p50 via the broker (same QEMU, alternating)",
                        "µs",
                        b.get("upstream_latency_p50_us"),
                        b.get("interleaved_latency_p50_us"),
                        true,
                        1.3,
                        false),
                new Figure(
                        "broker-latency-p50-apart",
                        "query-version round trip p50 via the broker (QEMU measured before)",
                        "µs",
                        q.get("latency_p50_us"),
                        b.get("latency_p50_us"),
                        true,
                        nan,
                        false),
                new Figure(
                        "broker-latency-p99",
                        "query-version round trip p99, through the broker",
                        "µs",
                        q.get("latency_p99_us"),
                        b.get("latency_p99_us"),
                        true,
                        nan,
                        false),
                new Figure(
                        "broker-throughput-1",
                        "throughput, 1 session, 8 in flight, via the broker (same QEMU, alternating)",
                        "req/s",
                        b.get("upstream_throughput_1"),
                        b.get("interleaved_throughput_1"),
                        false,
                        0.9,
                        false),
                new Figure(
                        "broker-throughput-1-apart",
                        "throughput, 1 session, 8 in flight, via the broker (QEMU measured before)",
                        "req/s",
                        q.get("throughput_1"),
                        b.get("throughput_1"),
                        false,
                        nan,
                        false),
                new Figure(
                        "broker-throughput-100",
                        "throughput, 100 sessions, 8 in flight each, through the broker",
                        "req/s",
                        q.get("throughput_100"),
                        b.get("throughput_100"),
                        false,
                        nan,
                        false),
                new Figure(
                        "broker-schema",
                        "query-qmp-schema round trip p50, through the broker",
                        "ms",
                        q.get("schema_ms"),
                        b.get("schema_ms"),
                        true,
                        0.1,
                        false),
                new Figure(
                        "broker-fanout-1000",
                        "STOP fan-out to 1,000 sessions p50 (QEMU's own 1,000, alternating)",
                        "ms",
                        b.get("qemu_fanout_1000_ms"),
                        b.get("broker_fanout_1000_ms"),
                        true,
                        0.5,
                        false),
                new Figure(
                        "broker-fanout-1000-apart",
                        "STOP fan-out to 1,000 sessions p50 (QEMU measured before)",
                        "ms",
                        q.get("fanout_1000_ms"),
                        b.get("fanout_1000_ms"),
                        true,
                        nan,
                        false),
                new Figure(
                        "broker-rss-idle",
                        "RSS per idle session, 1,000 on qmpd's command line",
                        "KiB",
                        q.get("rss_idle_per_monitor_kib"),
                        b.get("rss_idle_per_monitor_kib"),
                        true,
                        8.0,
                        true),
                new Figure(
                        "broker-heap-idle",
                        "Java heap in use per idle session, 1,000 on qmpd's command line",
                        "KiB",
                        nan,
                        b.get("heap_idle_per_monitor_kib"),
                        true,
                        8.0,
                        true),
                new Figure(
                        "broker-session-rss",
                        "RSS per idle session, " + String.format("%,d", sessions) + " added and negotiated",
                        "KiB",
                        nan,
                        b.get("session_rss_kib"),
                        true,
                        8.0,
                        true),
                new Figure(
                        "broker-session-heap",
                        "Java heap in use per idle session, " + String.format("%,d", sessions)
                                + " added and negotiated",
                        "KiB",
                        nan,
                        b.get("session_heap_kib"),
                        true,
                        8.0,
                        true));
    }

    static List<Figure> figures(Map<String, Double> q, Map<String, Double> d, int dynamic) {
        double nan = Double.NaN;
        List<Figure> figures = new ArrayList<>(Arrays.asList(
                new Figure(
                        "startup",
                        "start-up to a negotiated session, cold, p50",
                        "ms",
                        q.get("startup_ms"),
                        d.get("startup_ms"),
                        true,
                        1.0,
                        false),
                new Figure(
                        "first-request",
                        "first query-version after start-up, cold, p50",
                        "µs",
                        q.get("first_request_us"),
                        d.get("first_request_us"),
                        true,
                        nan,
                        false),
                new Figure(
                        "latency-p50",
                        "query-version round trip p50",
                        "µs",
                        q.get("latency_p50_us"),
                        d.get("latency_p50_us"),
                        true,
                        0.2,
                        false),
                new Figure(
                        "latency-p99",
                        "query-version round trip p99",
                        "µs",
                        q.get("latency_p99_us"),
                        d.get("latency_p99_us"),
                        true,
                        nan,
                        false),
                new Figure(
                        "throughput-1",
                        "throughput, 1 monitor, 8 in flight",
                        "req/s",
                        q.get("throughput_1"),
                        d.get("throughput_1"),
                        false,
                        10.0,
                        false),
                new Figure(
                        "throughput-100",
                        "throughput, 100 monitors, 8 in flight each",
                        "req/s",
                        q.get("throughput_100"),
                        d.get("throughput_100"),
                        false,
                        10.0,
                        false),
                new Figure(
                        "schema",
                        "query-qmp-schema round trip p50",
                        "ms",
                        q.get("schema_ms"),
                        d.get("schema_ms"),
                        true,
                        0.1,
                        false),
                new Figure(
                        "fanout-100",
                        "STOP fan-out to 100 monitors, p50",
                        "ms",
                        q.get("fanout_100_ms"),
                        d.get("fanout_100_ms"),
                        true,
                        nan,
                        false),
                new Figure(
                        "fanout-1000",
                        "STOP fan-out to 1,000 monitors, p50",
                        "ms",
                        q.get("fanout_1000_ms"),
                        d.get("fanout_1000_ms"),
                        true,
                        0.5,
                        false),
                new Figure(
                        "rss-idle",
                        "RSS per idle monitor, 1,000 on the command line",
                        "KiB",
                        q.get("rss_idle_per_monitor_kib"),
                        d.get("rss_idle_per_monitor_kib"),
                        true,
                        8.0,
                        true),
                new Figure(
                        "heap-idle",
                        "Java heap in use per idle monitor, 1,000 on the command line",
                        "KiB",
                        nan,
                        d.get("heap_idle_per_monitor_kib"),
                        true,
                        8.0,
                        true),
                new Figure(
                        "rss-connected",
                        "RSS per monitor, 1,000 negotiated clients",
                        "KiB",
                        q.get("rss_connected_per_monitor_kib"),
                        d.get("rss_connected_per_monitor_kib"),
                        true,
                        nan,
                        true),
                new Figure(
                        "rss-dynamic-1000",
                        "RSS per idle monitor, 1,000 made by monitor-add",
                        "KiB",
                        nan,
                        d.get("dyn_rss_per_monitor_kib_1000"),
                        true,
                        8.0,
                        true),
                new Figure(
                        "rss-dynamic-" + dynamic,
                        "RSS per idle monitor, " + String.format("%,d", dynamic) + " made by monitor-add",
                        "KiB",
                        nan,
                        d.get("dyn_rss_per_monitor_kib_" + dynamic),
                        true,
                        8.0,
                        true),
                new Figure(
                        "heap-dynamic-" + dynamic,
                        "Java heap in use per idle monitor, " + String.format("%,d", dynamic) + " made by monitor-add",
                        "KiB",
                        nan,
                        d.get("dyn_heap_per_monitor_kib_" + dynamic),
                        true,
                        8.0,
                        true),
                new Figure(
                        "churn",
                        "churn: add + connect + negotiate + remove, one client",
                        "cycles/s",
                        nan,
                        d.get("churn_empty_per_s"),
                        false,
                        2000.0,
                        true),
                new Figure(
                        "churn-parallel",
                        "churn, " + Dynamic.CHURN_CLIENTS + " clients at once",
                        "cycles/s",
                        nan,
                        d.get("churn_parallel_per_s"),
                        false,
                        2000.0,
                        true),
                new Figure(
                        "churn-10000",
                        "churn beside " + String.format("%,d", dynamic) + " dynamic monitors",
                        "cycles/s",
                        nan,
                        d.get("churn_per_s"),
                        false,
                        2000.0,
                        true)));
        if (d.containsKey("churn_tmpfs_per_s")) { // measured where /dev/shm is a tmpfs
            figures.add(
                    figures.size() - 2,
                    new Figure(
                            "churn-tmpfs",
                            "churn, one client, sockets on tmpfs",
                            "cycles/s",
                            nan,
                            d.get("churn_tmpfs_per_s"),
                            false,
                            2000.0,
                            true));
        }
        return figures;
    }
}
