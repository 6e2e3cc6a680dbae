package io.qmpd.chardev;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale target: 10,000 listening unix socket chardevs added with {@code chardev-add} and
 * removed with {@code chardev-remove} over a QMP monitor leave the process's descriptor count
 * where it started and no socket file behind.
 */
class ChardevScaleTest {

    private static final int CHARDEVS = 10_000;
    private static final String OK = "{\"return\": {}}\r\n";

    @TempDir
    Path dir;

    private String add(int i) {
        return "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"s" + i
                + "\", \"backend\": {\"type\": \"socket\","
                + " \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"" + dir.resolve("s" + i)
                + "\"}}, \"server\": true, \"wait\": false}}}}\n";
    }

    private static String remove(int i) {
        return "{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"s" + i + "\"}}\n";
    }

    private static String call(TestChardev mon, String request) {
        mon.send(request);
        return mon.next();
    }

    private long socketFiles() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void ten_thousand_socket_chardevs_come_and_go_without_leaking_a_descriptor() throws Exception {
        try (TestServer t = new TestServer()) {
            TestChardev mon = t.negotiated("mon", false);
            // warm-up: every class and lazily opened file of the path is in place before counting
            assertThat(call(mon, add(-1))).isEqualTo(OK);
            assertThat(call(mon, remove(-1))).isEqualTo(OK);
            int before = ProcFds.count();
            int socketsBefore = ProcFds.sockets();

            long start = System.nanoTime();
            for (int i = 0; i < CHARDEVS; i++) {
                String reply = call(mon, add(i));
                if (!reply.equals(OK)) {
                    assertThat(reply).as("chardev-add s" + i).isEqualTo(OK);
                }
            }
            long added = System.nanoTime();
            // Within the same few descriptors of slack as the end check: sockets of earlier tests in
            // this JVM may still be closing while these are counted.
            assertThat(ProcFds.sockets() - socketsBefore)
                    .as("one listening socket per chardev")
                    .isBetween(CHARDEVS - 3, CHARDEVS + 3);
            assertThat(socketFiles()).isEqualTo(CHARDEVS);

            for (int i = 0; i < CHARDEVS; i++) {
                String reply = call(mon, remove(i));
                if (!reply.equals(OK)) {
                    assertThat(reply).as("chardev-remove s" + i).isEqualTo(OK);
                }
            }
            long removed = System.nanoTime();
            // At most as many as before: a socket of an earlier test may have closed meanwhile.
            assertThat(ProcFds.awaitAtMost(socketsBefore, ProcFds::sockets))
                    .as("sockets")
                    .isLessThanOrEqualTo(socketsBefore);
            // The JVM itself opens and closes the odd file (class path jars) meanwhile: the total
            // may move by a descriptor or two, the sockets above may not grow at all.
            assertThat(ProcFds.count()).as("all descriptors").isBetween(before - 3, before + 3);
            assertThat(socketFiles())
                    .as("chardev-remove unlinks every socket file")
                    .isZero();
            System.out.printf(
                    "ChardevScaleTest: %d chardev-add in %d ms, %d chardev-remove in %d ms%n",
                    CHARDEVS, (added - start) / 1_000_000, CHARDEVS, (removed - added) / 1_000_000);
        }
    }
}
