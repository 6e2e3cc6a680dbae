package io.qmpd.bench.side;

import com.sun.management.UnixOperatingSystemMXBean;
import io.qmpd.bench.side.ServerProcess.Kind;
import io.qmpd.bench.side.ServerProcess.Launch;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The qmpd-only figures (QEMU 7.2 has no monitor-add): resident memory per idle monitor made at
 * run time with {@code chardev-add} + {@code monitor-add} (1,000 and 10,000 of them), and churn,
 * full add / connect / negotiate / remove cycles per second, all over QMP on monitor 0.
 */
final class Dynamic {

    private static final int WINDOW = 8;

    /** Control clients churning at once in the parallel churn figure. */
    static final int CHURN_CLIENTS = 4;
    /**
     * Cycles before a churn figure is taken: enough for both JIT compilers (qmpd's C1, the
     * client's C2) to finish with the cycle's code; 500 left the figure swinging by 2x.
     */
    private static final int CHURN_WARM_UP = 2_000;

    private final Launch launch;
    private final Path dir;
    private final Map<String, Double> values;
    /** Clients refused or hung up on before negotiating, over every churn run. */
    private final AtomicInteger churnFailures = new AtomicInteger();

    /** Cycles completed by one churning client, and the nanoseconds it took. */
    private record Churned(int cycles, long nanos) {
        double perSecond() {
            return cycles / (nanos / 1e9);
        }
    }

    Dynamic(Launch launch, Path dir, Map<String, Double> values) {
        this.launch = launch;
        this.dir = dir;
        this.values = values;
    }

    void run(int total, long churnNanos) throws Exception {
        // Churn on a fresh qmpd first (nothing else on it): one client, then several at once;
        // then again with the 10,000 present.
        try (ServerProcess p = ServerProcess.start(launch, Kind.QMPD, dir.resolve("churn"), CHURN_CLIENTS)) {
            Path socks = privateDirectory(dir.resolve("churn/d"));
            try (QmpSocket s = p.client(0, true)) {
                churn(s, socks, "w", CHURN_WARM_UP, 0);
                values.put(
                        "churn_empty_per_s",
                        churn(s, socks, "e", Integer.MAX_VALUE, churnNanos).perSecond());
                Optional<Path> inMemory = tmpfsDirectory();
                if (inMemory.isPresent()) {
                    try {
                        values.put(
                                "churn_tmpfs_per_s",
                                churn(s, inMemory.get(), "m", Integer.MAX_VALUE, churnNanos)
                                        .perSecond());
                    } finally {
                        Files.deleteIfExists(inMemory.get());
                    }
                }
            }
            values.put("churn_parallel_per_s", churnInParallel(p, socks, churnNanos));
            p.checkAlive();
        }
        try (ServerProcess p = ServerProcess.start(launch, Kind.QMPD, dir.resolve("dyn"), 1);
                QmpSocket s = p.client(0, true)) {
            Path socks = privateDirectory(dir.resolve("dyn/d"));
            long base = p.rssKiB();
            long baseHeap = p.liveHeapKiB();
            int made = 0;
            long t0 = System.nanoTime();
            for (int step : new int[] {1_000, total}) {
                List<String> requests = new ArrayList<>();
                for (; made < step; made++) {
                    requests.add(chardevAdd("d" + made, socks.resolve("d" + made + ".sock")));
                    requests.add("{\"execute\":\"monitor-add\",\"arguments\":{\"id\":\"mon" + made
                            + "\",\"chardev\":\"d" + made + "\"}}\n");
                }
                pipelined(s, requests);
                values.put("dyn_rss_per_monitor_kib_" + step, (p.rssKiB() - base) / (double) step);
                values.put("dyn_heap_per_monitor_kib_" + step, (p.liveHeapKiB() - baseHeap) / (double) step);
            }
            values.put("dyn_add_per_s", made / ((System.nanoTime() - t0) / 1e9));
            // Every one of them is a live monitor: greet and negotiate on the last one.
            try (QmpSocket last = QmpSocket.negotiated(socks.resolve("d" + (made - 1) + ".sock"), false)) {
                values.put("dyn_monitors", (double) made);
            }
            // Churn last: the memory figures run full GCs, and qmpd once closed a random descriptor
            // when the junixsocket view of a closed client was collected (docs/performance.md).
            churn(s, socks, "w", CHURN_WARM_UP, 0);
            values.put(
                    "churn_per_s",
                    churn(s, socks, "t", Integer.MAX_VALUE, churnNanos).perSecond());
            p.checkAlive();
        }
        values.put("churn_failures", (double) churnFailures.get());
    }

    /**
     * Fails at once, rather than after the other figures, where {@code total} sessions cannot
     * be served: qmpd holds three descriptors per session on a listening socket (ADR 5) and
     * inherits this process's limit; past it, clients would wait in the listen backlog for ever.
     */
    static void checkDescriptorsFor(int total) throws IOException {
        long limit =
                ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
        long needed = total + 256L;
        if (needed > limit) {
            throw new IOException(
                    total + " sessions need about " + needed + " descriptors in qmpd and in this harness, and the"
                            + " limit here is " + limit + ": run with --dynamic " + (limit - 256) + " or less");
        }
    }

    /**
     * {@code total} sessions on qmpd as a broker, each made as a manager makes one
     * ({@code chardev-add} + {@code monitor-add}) and then held by a negotiated client that does
     * nothing: qmpd's RSS and live heap per session over the broker with one monitor, and a
     * {@code query-status} on the last session, which QEMU answers. Each session's chardev
     * connects to this harness (a client socket chardev, one descriptor in qmpd), so that 10,000
     * fit where descriptors are limited to 20,000. QEMU makes each chardev first and connects
     * too; its connection ends when the monitor claims the chardev (docs/broker.md).
     */
    void brokerSessions(int total) throws Exception {
        List<QmpSocket> clients = new ArrayList<>();
        ExecutorService acceptor = Executors.newSingleThreadExecutor();
        try (ServerProcess p = ServerProcess.start(launch, Kind.BROKER, dir.resolve("sessions"), 1);
                QmpSocket s = p.client(0, true);
                ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            Path socket = privateDirectory(dir.resolve("sessions/d")).resolve("sessions.sock");
            listener.bind(UnixDomainSocketAddress.of(socket), total);
            Thread.sleep(500);
            long base = p.rssKiB();
            long baseHeap = p.liveHeapKiB();
            Future<List<QmpSocket>> accepted = acceptor.submit(() -> acceptSessions(listener, total));
            List<String> requests = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                requests.add(chardevConnect("d" + i, socket));
                requests.add("{\"execute\":\"monitor-add\",\"arguments\":{\"id\":\"s" + i + "\",\"chardev\":\"d" + i
                        + "\"}}\n");
            }
            pipelined(s, requests);
            long t0 = System.nanoTime();
            for (QmpSocket session : accepted.get(120, TimeUnit.SECONDS)) {
                clients.add(session);
                session.negotiate(true);
            }
            values.put("sessions_connect_per_s", total / ((System.nanoTime() - t0) / 1e9));
            Thread.sleep(500);
            values.put("sessions", (double) total);
            values.put("session_rss_kib", (p.rssKiB() - base) / (double) total);
            values.put("session_heap_kib", (p.liveHeapKiB() - baseHeap) / (double) total);
            QmpSocket last = clients.get(clients.size() - 1);
            String status = last.call("{\"execute\":\"query-status\"}\n");
            if (!status.contains("\"status\"")) {
                throw new IOException("the last session did not reach QEMU: " + status);
            }
            p.checkAlive();
        } finally {
            acceptor.shutdownNow();
            for (QmpSocket c : clients) {
                c.close();
            }
        }
    }

    /**
     * {@value #CHURN_CLIENTS} clients churning at once, each on its own command-line monitor, as
     * several tools asking for sessions at the same time would: cycles of all of them per second.
     */
    private double churnInParallel(ServerProcess p, Path socks, long nanos) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CHURN_CLIENTS);
        try {
            List<Future<Churned>> runs = new ArrayList<>();
            CyclicBarrier start = new CyclicBarrier(CHURN_CLIENTS);
            for (int i = 0; i < CHURN_CLIENTS; i++) {
                int client = i;
                runs.add(pool.submit(() -> {
                    try (QmpSocket s = p.client(client, true)) {
                        churn(s, socks, "p" + client + "w", CHURN_WARM_UP / CHURN_CLIENTS, 0);
                        start.await();
                        return churn(s, socks, "p" + client + "-", Integer.MAX_VALUE, nanos);
                    }
                }));
            }
            int cycles = 0;
            long longest = 0;
            for (Future<Churned> run : runs) {
                Churned c = run.get();
                cycles += c.cycles();
                longest = Math.max(longest, c.nanos());
            }
            return new Churned(cycles, longest).perSecond();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Cycles of add, connect, negotiate, remove, for {@code nanos} or {@code max} cycles. Each
     * cycle has fresh ids and a fresh socket path. A client that is refused or hung up on before
     * the negotiation completes is counted in {@link #churnFailures} and not as a cycle (qmpd
     * closed a random descriptor when the junixsocket view of a closed client was collected).
     */
    private Churned churn(QmpSocket s, Path socks, String prefix, int max, long nanos) throws IOException {
        long t0 = System.nanoTime();
        long end = nanos > 0 ? t0 + nanos : Long.MAX_VALUE;
        int n = 0;
        for (int seq = 0; n < max && System.nanoTime() < end; seq++) {
            String k = prefix + seq;
            Path sock = socks.resolve("c" + k + ".sock");
            ok(s.call(chardevAdd("c" + k, sock)));
            ok(s.call("{\"execute\":\"monitor-add\",\"arguments\":{\"id\":\"cm" + k + "\",\"chardev\":\"c" + k
                    + "\"}}\n"));
            boolean negotiated = false;
            try (QmpSocket c = QmpSocket.connect(sock, 1_000_000_000L)) {
                c.negotiate(false);
                negotiated = true;
            } catch (IOException e) {
                churnFailures.incrementAndGet(); // refused or hung up on: see the class comment
            }
            // The client has hung up; then the monitor and its chardev go.
            ok(s.call("{\"execute\":\"monitor-remove\",\"arguments\":{\"id\":\"cm" + k + "\"}}\n"));
            ok(s.call("{\"execute\":\"chardev-remove\",\"arguments\":{\"id\":\"c" + k + "\"}}\n"));
            if (negotiated) {
                n++;
            }
        }
        return new Churned(n, System.nanoTime() - t0);
    }

    /** Keeps up to {@value #WINDOW} requests in flight (the OOB-negotiated queue holds 8). */
    private static void pipelined(QmpSocket s, List<String> requests) throws IOException {
        int sent = 0;
        int done = 0;
        while (done < requests.size()) {
            while (sent < requests.size() && sent - done < WINDOW) {
                s.write(QmpSocket.bytes(requests.get(sent++)));
            }
            ok(s.reply());
            done++;
        }
    }

    /**
     * The directory for the dynamic monitors' sockets: 0700, as a real deployment keeps them
     * ({@code $XDG_RUNTIME_DIR}, a {@code mktemp -d}), not the umask's 0755.
     */
    private static Path privateDirectory(Path path) throws IOException {
        Files.createDirectories(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        return path;
    }

    /**
     * A fresh private directory on {@code /dev/shm} when that is a tmpfs, as
     * {@code $XDG_RUNTIME_DIR} is, for churn whose socket files the disk's file system does not
     * see. On an ext4 without a journal, as this VM's /tmp, the inode allocator skips every inode
     * deleted in the last minute, so each new socket file costs more the more were churned before
     * (docs/performance.md, run M).
     */
    private static Optional<Path> tmpfsDirectory() throws IOException {
        Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm) || !Files.getFileStore(shm).type().equals("tmpfs")) {
            return Optional.empty();
        }
        return Optional.of(privateDirectory(Files.createTempDirectory(shm, "qmpd-churn")));
    }

    /** A listening socket chardev on {@code path}, not waiting for a client. */
    static String chardevAdd(String id, Path path) {
        return socketChardevAdd(id, path, "\"server\":true,\"wait\":false");
    }

    /**
     * The first {@code total} connections to {@code listener} that greet: qmpd's. QEMU's end
     * without a byte (QEMU removes its chardev when a monitor claims it) and are closed at once,
     * so that this harness never holds more descriptors than sessions.
     */
    private static List<QmpSocket> acceptSessions(ServerSocketChannel listener, int total) throws IOException {
        record Greeting(SocketChannel channel, byte first) {}
        List<QmpSocket> sessions = new ArrayList<>();
        try (Selector sel = Selector.open()) {
            listener.configureBlocking(false);
            listener.register(sel, SelectionKey.OP_ACCEPT);
            ByteBuffer first = ByteBuffer.allocate(1);
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (sessions.size() < total) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("only " + sessions.size() + " of " + total + " sessions greeted in time");
                }
                sel.select(1000);
                List<Greeting> greeted = new ArrayList<>();
                for (SelectionKey k : sel.selectedKeys()) {
                    if (k.isAcceptable()) {
                        SocketChannel c;
                        while ((c = listener.accept()) != null) {
                            c.configureBlocking(false);
                            c.register(sel, SelectionKey.OP_READ);
                        }
                    } else if (k.isReadable()) {
                        SocketChannel c = (SocketChannel) k.channel();
                        first.clear();
                        int n = c.read(first);
                        if (n != 0) {
                            k.cancel();
                        }
                        if (n < 0) {
                            c.close();
                        } else if (n > 0) {
                            greeted.add(new Greeting(c, first.get(0)));
                        }
                    }
                }
                sel.selectedKeys().clear();
                sel.selectNow(); // deregisters the cancelled keys
                for (Greeting g : greeted) {
                    g.channel().configureBlocking(true);
                    sessions.add(QmpSocket.adopt(g.channel(), new byte[] {g.first()}));
                }
            }
        }
        return sessions;
    }

    /** A client socket chardev: qmpd connects to {@code path} when it makes it. */
    static String chardevConnect(String id, Path path) {
        return socketChardevAdd(id, path, "\"server\":false");
    }

    /** {@code chardev-add} of a unix socket chardev on {@code path} with {@code options} (JSON members). */
    private static String socketChardevAdd(String id, Path path, String options) {
        return "{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"" + id + "\",\"backend\":{\"type\":\"socket\","
                + "\"data\":{\"addr\":{\"type\":\"unix\",\"data\":{\"path\":\"" + path + "\"}}," + options
                + "}}}}\n";
    }

    private static void ok(String reply) throws IOException {
        if (!reply.startsWith("{\"return\"")) {
            throw new IOException("command failed: " + reply);
        }
    }
}
