package io.qmpd.command;

import static io.qmpd.command.HotplugFixture.chardevAddUnixServer;
import static io.qmpd.command.HotplugFixture.expectOk;
import static io.qmpd.command.HotplugFixture.monitorAdd;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.chardev.ProcFds;
import io.qmpd.testing.QmpTestClient;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The leak check, bounded in count ({@value #WORKERS} workers x {@value #CYCLES} cycles) and
 * time ({@value #SECONDS} s, whichever ends first): monitor and chardev churn over QMP with
 * connected clients, every third client leaving abruptly mid-request (half a request, or a large
 * reply it never reads). After the churn, open descriptors ({@code /proc/self/fd}), {@code qmpd-*}
 * threads and the heap retained after {@code System.gc()} are back at the baseline measured after
 * a warm-up round (heap within {@value #HEAP_SLACK_MIB} MiB). Tagged {@code soak}; CI runs it with
 * the rest of the module.
 */
@Tag("soak")
class SoakTest {

    static final int WORKERS = 8;
    static final int CYCLES = Integer.getInteger("qmpd.soak.cycles", 1200);
    static final int SECONDS = Integer.getInteger("qmpd.soak.seconds", 15);
    static final int HEAP_SLACK_MIB = 8;

    private static long qmpdThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("qmpd-"))
                .count();
    }

    private static long retainedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void monitorAndChardevChurnWithAbruptClientsReturnsFdsThreadsAndHeapToBaseline() throws Exception {
        try (HotplugFixture f = new HotplugFixture()) {
            List<QmpTestClient> controls = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                controls.add(f.cliMonitor("w" + w).negotiate());
            }
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
            try {
                AtomicInteger warm = new AtomicInteger();
                round(f, controls, pool, "warm", 20, System.nanoTime() + 10_000_000_000L, warm);
                awaitFds(ProcFds.count());
                int fdBaseline = ProcFds.count();
                long threadBaseline = qmpdThreads();
                long heapBaseline = retainedHeap();

                long start = System.nanoTime();
                AtomicInteger done = new AtomicInteger();
                round(f, controls, pool, "soak", CYCLES, start + SECONDS * 1_000_000_000L, done);
                long millis = (System.nanoTime() - start) / 1_000_000;

                int fds = awaitFds(fdBaseline);
                long heap = retainedHeap();
                System.out.printf(
                        "soak: %d cycles (%d workers) in %d ms; fds %d -> %d, qmpd threads %d -> %d, "
                                + "heap %.1f -> %.1f MiB%n",
                        done.get(),
                        WORKERS,
                        millis,
                        fdBaseline,
                        fds,
                        threadBaseline,
                        qmpdThreads(),
                        heapBaseline / 1048576.0,
                        heap / 1048576.0);
                assertThat(done.get()).as("cycles run").isGreaterThanOrEqualTo(WORKERS * 50);
                assertThat(fds).as("open descriptors").isLessThanOrEqualTo(fdBaseline);
                assertThat(qmpdThreads()).as("qmpd-* threads").isEqualTo(threadBaseline);
                assertThat(heap).as("retained heap").isLessThanOrEqualTo(heapBaseline + HEAP_SLACK_MIB * 1048576L);
                assertThat(f.t.server.monitors()).hasSize(WORKERS + 1);
                assertThat(f.ctl.call("{\"execute\": \"query-chardev\"}")).doesNotContain("\"label\": \"soak");
                try (var files = Files.list(f.dir)) {
                    assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("soak"));
                }
            } finally {
                pool.shutdown();
                assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    /** The loop closes sockets asynchronously: polls (5 s bound) until at most {@code baseline} are open. */
    private static int awaitFds(int baseline) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        int n = ProcFds.count();
        while (n > baseline && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            n = ProcFds.count();
        }
        return n;
    }

    private static void round(
            HotplugFixture f,
            List<QmpTestClient> controls,
            ExecutorService pool,
            String prefix,
            int cycles,
            long deadline,
            AtomicInteger done)
            throws Exception {
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int worker = w;
            workers.add(CompletableFuture.runAsync(
                    () -> {
                        for (int c = 0; c < cycles && System.nanoTime() < deadline; c++) {
                            cycle(f, controls.get(worker), prefix + worker + "-" + c, c);
                            done.incrementAndGet();
                        }
                    },
                    pool));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    private static void cycle(HotplugFixture f, QmpTestClient ctl, String name, int c) {
        String chr = name + "-chr";
        Path path = f.path(chr);
        expectOk(ctl, chardevAddUnixServer(chr, path, c), c);
        expectOk(ctl, monitorAdd(name, chr, c), c);
        try (QmpTestClient client = QmpTestClient.connect(path)) {
            client.negotiate();
            switch (c % 3) {
                case 0 -> {
                    expectOk(client, "{\"execute\": \"query-name\", \"id\": " + c + "}", c);
                    expectOk(
                            ctl,
                            "{\"execute\": \"monitor-remove\", \"id\": " + c + ", \"arguments\": {\"id\": \"" + name
                                    + "\"}}",
                            c);
                    assertThat(client.drainToEof()).allMatch(line -> line.startsWith("{\"timestamp\""));
                }
                case 1 -> client.send("{\"execute\": \"query-sta"); // leaves with half a request
                default -> client.send("{\"execute\": \"query-qmp-schema\"}\n"); // leaves, reply unread
            }
        }
        if (c % 3 != 0) {
            expectOk(
                    ctl,
                    "{\"execute\": \"monitor-remove\", \"id\": " + c + ", \"arguments\": {\"id\": \"" + name + "\"}}",
                    c);
        }
        expectOk(
                ctl,
                "{\"execute\": \"chardev-remove\", \"id\": " + c + ", \"arguments\": {\"id\": \"" + chr + "\"}}",
                c);
    }
}
