package io.qmpd.command;

import static io.qmpd.command.HotplugFixture.OK;
import static io.qmpd.command.HotplugFixture.chardevAddUnixServer;
import static io.qmpd.command.HotplugFixture.expectOk;
import static io.qmpd.command.HotplugFixture.monitorAdd;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.QmpTestClient;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Bounded stress: {@value #CLIENTS} clients each run {@value #CYCLES} cycles of chardev-add
 * (unix socket server), monitor-add, connect, negotiate, command, monitor-remove, chardev-remove
 * over QMP while another client toggles stop/cont so events flow. Every reply arrives, in order,
 * exactly once; descriptors and {@code qmpd-*} threads return to their baseline.
 */
class MonitorHotplugStressTest {

    static final int CLIENTS = Integer.getInteger("qmpd.stress.clients", 50);
    static final int CYCLES = Integer.getInteger("qmpd.stress.cycles", 200);

    private static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    private static long qmpdThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("qmpd-"))
                .count();
    }

    @Test
    void many_clients_cycling_monitors_with_events_flowing_lose_nothing_and_leak_nothing() throws Exception {
        try (HotplugFixture f = new HotplugFixture()) {
            List<QmpTestClient> controls = new ArrayList<>();
            for (int w = 0; w < CLIENTS; w++) {
                controls.add(f.cliMonitor("w" + w).negotiate());
            }
            QmpTestClient storm = f.cliMonitor("storm").negotiate();
            int fdBaseline = openFds();
            long threadBaseline = qmpdThreads();
            long start = System.nanoTime();

            AtomicBoolean done = new AtomicBoolean();
            CompletableFuture<Integer> events = CompletableFuture.supplyAsync(() -> {
                int n = 0;
                while (!done.get()) {
                    assertThat(storm.call("{\"execute\": \"stop\"}")).isEqualTo(OK);
                    assertThat(storm.call("{\"execute\": \"cont\"}")).isEqualTo(OK);
                    n += 2;
                }
                return n;
            });
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int w = 0; w < CLIENTS; w++) {
                int worker = w;
                workers.add(CompletableFuture.runAsync(() -> cycles(f, worker, controls.get(worker)), pool));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            done.set(true);
            assertThat(events.get(30, TimeUnit.SECONDS)).isPositive();
            pool.shutdown();
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("stress: %d clients x %d cycles in %d ms%n", CLIENTS, CYCLES, millis);

            assertThat(f.t.server.monitors()).hasSize(CLIENTS + 2);
            long deadline = System.nanoTime() + QmpTestClient.TIMEOUT_NANOS;
            while (openFds() > fdBaseline && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the loop closes sockets asynchronously
            }
            assertThat(openFds()).isLessThanOrEqualTo(fdBaseline);
            assertThat(qmpdThreads()).isEqualTo(threadBaseline);
        }
    }

    private static void cycles(HotplugFixture f, int worker, QmpTestClient ctl) {
        for (int c = 0; c < CYCLES; c++) {
            String chr = "s" + worker + "-" + c;
            String mon = "m" + worker + "-" + c;
            Path path = f.path(chr);
            expectOk(ctl, chardevAddUnixServer(chr, path, c), c);
            expectOk(ctl, monitorAdd(mon, chr, c), c);
            try (QmpTestClient client = QmpTestClient.connect(path)) {
                client.negotiate();
                expectOk(client, "{\"execute\": \"query-name\", \"id\": " + c + "}", c);
                expectOk(
                        ctl,
                        "{\"execute\": \"monitor-remove\", \"id\": " + c + ", \"arguments\": {\"id\": \"" + mon
                                + "\"}}",
                        c);
                for (String line : client.drainToEof()) {
                    assertThat(line).startsWith("{\"timestamp\"");
                }
            }
            expectOk(
                    ctl,
                    "{\"execute\": \"chardev-remove\", \"id\": " + c + ", \"arguments\": {\"id\": \"" + chr + "\"}}",
                    c);
        }
    }
}
