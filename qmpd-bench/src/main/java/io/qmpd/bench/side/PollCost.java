package io.qmpd.bench.side;

import io.qmpd.server.QmpServerBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * What the event loop's poll before sleeping ({@code -io-poll-max-ns}) costs in CPU: one client
 * sends {@code query-version} and waits for the reply, then pauses (1 ms, 100 µs, 30 µs, none)
 * before the next; the loop thread's CPU (utime + stime of {@code qmpd-io-0} in /proc) is read
 * over 4 s, after 4 s of warm-up, without polling and with the default window (at most 32,768 ns,
 * adapting), twice each.
 *
 * <pre>java -cp benchmarks.jar io.qmpd.bench.side.PollCost qmpd-daemon/target/qmpd.jar</pre>
 */
public final class PollCost {

    private static final long SECONDS = 4;
    private static final byte[] QUERY = QmpSocket.bytes("{\"execute\":\"query-version\"}\n");

    private PollCost() {}

    public static void main(String[] args) throws Exception {
        String adaptive = Long.toString(QmpServerBuilder.DEFAULT_IO_POLL_MAX_NANOS);
        for (String poll : List.of("0", adaptive, "0", adaptive)) {
            for (long pauseMicros : new long[] {1_000, 100, 30, 0}) {
                measure(args[0], poll, pauseMicros);
            }
        }
    }

    private static void measure(String jar, String poll, long pauseMicros) throws Exception {
        Path dir = Files.createTempDirectory("pollcost");
        Path sock = dir.resolve("c.sock");
        Process p = new ProcessBuilder(
                        "java",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-jar",
                        jar,
                        "-io-poll-max-ns",
                        poll,
                        "-nodefaults",
                        "-chardev",
                        "socket,id=c,path=" + sock + ",server=on,wait=off",
                        "-mon",
                        "chardev=c,mode=control")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (QmpSocket s = QmpSocket.negotiated(sock, false)) {
            for (int phase = 0; phase < 2; phase++) { // warm-up, then measured
                long cpu0 = loopTicks(p.pid());
                long t0 = System.nanoTime();
                long requests = 0;
                while (System.nanoTime() - t0 < SECONDS * 1_000_000_000L) {
                    s.write(QUERY);
                    s.skipLineBlocking();
                    requests++;
                    if (pauseMicros > 0) {
                        LockSupport.parkNanos(pauseMicros * 1_000);
                    }
                }
                long ticks = loopTicks(p.pid()) - cpu0; // 10 ms each
                if (phase == 1) {
                    System.out.printf(
                            "poll max %s ns, pause %d us: %d req/s, loop CPU %.1f %% of a core, %.1f us per request%n",
                            poll,
                            pauseMicros,
                            requests / SECONDS,
                            ticks * 10.0 / (SECONDS * 10),
                            ticks * 10_000.0 / requests);
                }
            }
        } finally {
            p.destroy();
            p.waitFor();
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }

    /** utime + stime of the event loop thread, in clock ticks. */
    private static long loopTicks(long pid) throws IOException {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                if (Files.readString(t.resolve("comm")).strip().equals("qmpd-io-0")) {
                    String[] f =
                            Files.readString(t.resolve("stat")).split("\\) ")[1].split(" ");
                    sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
        }
        return sum;
    }
}
