package io.qmpd.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.QmpTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code quit} while commands are queued on many monitors on real unix
 * sockets. The quitting monitor gets {@code SHUTDOWN} then {@code quit}'s reply, every other
 * client gets a prefix of its replies in order (what ran before quit; nothing runs after it)
 * and then EOF, and the server ends cleanly: quit future done, no {@code qmpd-*} thread, no
 * socket file, nothing logged at WARN or above.
 */
class QuitUnderLoadTest {

    static final int MONITORS = 20;
    /** More than the queue depth of 8: the rest waits in the read-ahead and the socket. */
    static final int PIPELINED = 12;

    private static long qmpdThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("qmpd-"))
                .count();
    }

    private static String status(int id) {
        return "{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}, \"id\": " + id
                + "}\r\n";
    }

    @Test
    void quitWithCommandsQueuedOnTwentyMonitorsAnswersAndEndsTheServerCleanly() throws Exception {
        long threadBaseline = qmpdThreads();
        try (ServerLog log = new ServerLog();
                HotplugFixture f = new HotplugFixture()) {
            List<Path> paths = new ArrayList<>();
            List<QmpTestClient> clients = new ArrayList<>();
            paths.add(f.path("ctl-chr"));
            for (int m = 0; m < MONITORS; m++) {
                Path path = f.dynamicMonitor("q" + m);
                paths.add(path);
                clients.add(
                        m == MONITORS - 1
                                ? f.connect(path).negotiateOob()
                                : f.connect(path).negotiate());
            }
            QmpTestClient blocker = clients.get(0);
            QmpTestClient quitter = clients.get(MONITORS - 1);
            blocker.send("{\"execute\": \"x-block\", \"arguments\": {\"tag\": \"b\"}, \"id\": \"blk\"}\n");
            assertThat(f.t.awaitBlockStarted()).isEqualTo("b");
            // The dispatcher is busy: every other monitor queues a pipeline of requests.
            for (int m = 1; m < MONITORS - 1; m++) {
                StringBuilder burst = new StringBuilder();
                for (int k = 0; k < PIPELINED; k++) {
                    burst.append("{\"execute\": \"query-status\", \"id\": ")
                            .append(m * 100 + k)
                            .append("}\n");
                }
                clients.get(m).send(burst.toString());
            }
            // The out-of-band reply after quit proves that quit was read, and so queued, while
            // the dispatcher was still blocked.
            quitter.send(
                    "{\"execute\": \"quit\", \"id\": \"bye\"}\n{\"exec-oob\": \"migrate-pause\", \"id\": \"mark\"}\n");
            assertThat(quitter.next()).contains("\"id\": \"mark\"");
            f.t.release();

            assertThat(quitter.next())
                    .isEqualTo(
                            "{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 123456}, "
                                    + "\"event\": \"SHUTDOWN\", \"data\": {\"guest\": false, \"reason\": \"host-qmp-quit\"}}\r\n");
            assertThat(quitter.next()).isEqualTo("{\"return\": {}, \"id\": \"bye\"}\r\n");
            assertThat(quitter.drainToEof()).isEmpty();
            f.t.server.quitFuture().get(10, TimeUnit.SECONDS);
            f.t.server.closeFuture().get(10, TimeUnit.SECONDS);

            assertThat(blocker.drainToEof()).contains("{\"return\": {}, \"id\": \"blk\"}\r\n");
            int answered = 0;
            for (int m = 1; m < MONITORS - 1; m++) {
                int next = 0;
                for (String line : clients.get(m).drainToEof()) {
                    if (line.startsWith("{\"timestamp\"")) {
                        assertThat(line).contains("\"event\": \"SHUTDOWN\"");
                    } else {
                        assertThat(line).as("monitor q%d, in order", m).isEqualTo(status(m * 100 + next));
                        next++;
                    }
                }
                answered += next;
            }
            int sent = (MONITORS - 2) * PIPELINED;
            System.out.printf(
                    "quit: %d monitors, %d of %d queued requests answered before the end%n", MONITORS, answered, sent);
            // Round robin serves each monitor once before quit at the latest (its monitor waited
            // among the others), and no request runs after quit, as in QEMU.
            assertThat(answered)
                    .as("requests answered before quit ended the server")
                    .isLessThanOrEqualTo(MONITORS - 2);

            long deadline = System.nanoTime() + 5_000_000_000L;
            while (qmpdThreads() > threadBaseline && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(qmpdThreads()).as("qmpd-* threads left").isEqualTo(threadBaseline);
            for (Path p : paths) {
                assertThat(Files.exists(p)).as("socket file %s unlinked", p).isFalse();
            }
            assertThat(log.text()).doesNotContain("Exception", "WARN", "ERROR");
        }
    }
}
