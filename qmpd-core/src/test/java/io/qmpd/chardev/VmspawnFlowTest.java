package io.qmpd.chardev;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.server.ServerInternals;
import io.qmpd.server.TestServer;
import io.qmpd.testing.ScmClient;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * The flow that motivated monitor hotplug, end to end over QMP only: systemd-vmspawn hands a new
 * client its own raw QMP session by passing one end of a socketpair with {@code getfd}, making it
 * a chardev, and putting a monitor on it with {@code monitor-add}; afterwards it removes both.
 */
class VmspawnFlowTest {

    private static final String OK = "{\"return\": {}}\r\n";

    @TempDir
    Path dir;

    @Test
    void a_socketpair_end_becomes_a_private_qmp_session_with_events_and_goes_away_cleanly() throws Exception {
        try (TestServer t = new TestServer();
                AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open()) {
            Path sock = dir.resolve("vmspawn.sock");
            t.server.addChardev(SocketChardev.listen(
                    "ctl", ServerInternals.loop(t.server), new SocketAddress.Unix(sock), false, false));
            t.server.addQmpMonitor(null, "ctl", false, false);
            try (ScmClient vmspawn = ScmClient.connect(sock).negotiate()) {
                FileDescriptor end = pair.getSocket1().getFileDescriptor();
                String target = ProcFds.target(end);
                vmspawn.sendWithFd(" ", end);
                assertThat(vmspawn.call("{\"execute\": \"getfd\", \"arguments\": {\"fdname\": \"client0\"}}"))
                        .isEqualTo(OK);
                new FileInputStream(end).close(); // vmspawn closes its copy after sendmsg
                assertThat(vmspawn.call("{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"client0-chr\", "
                                + "\"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"fd\", "
                                + "\"data\": {\"str\": \"client0\"}}, \"server\": false}}}}"))
                        .isEqualTo(OK);
                assertThat(vmspawn.call("{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"client0\", "
                                + "\"chardev\": \"client0-chr\"}}"))
                        .isEqualTo(OK);

                try (ScmClient client = new ScmClient(pair.getSocket2().socket())) {
                    client.negotiate(); // its own greeting, its own negotiation
                    assertThat(client.call("{\"execute\": \"query-monitors\", \"id\": 1}"))
                            .isEqualTo("{\"return\": ["
                                    + "{\"chardev\": \"ctl\", \"mode\": \"control\", \"dynamic\": false}, "
                                    + "{\"chardev\": \"client0-chr\", \"mode\": \"control\", \"dynamic\": true, \"id\": \"client0\"}"
                                    + "], \"id\": 1}\r\n");

                    // Events reach the new session once it has negotiated, before the reply that caused them.
                    assertThat(vmspawn.call("{\"execute\": \"stop\"}")).contains("\"event\": \"STOP\"");
                    assertThat(vmspawn.next()).isEqualTo(OK);
                    assertThat(client.next()).contains("\"event\": \"STOP\"");
                    assertThat(client.call("{\"execute\": \"cont\"}")).contains("\"event\": \"RESUME\"");
                    assertThat(client.next()).isEqualTo(OK);
                    assertThat(vmspawn.next()).contains("\"event\": \"RESUME\"");

                    assertThat(vmspawn.call("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"client0\"}}"))
                            .isEqualTo(OK);
                    assertThat(client.nextOrEof())
                            .as("the client's session ends with its monitor")
                            .isNull();
                }
                assertThat(vmspawn.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"client0-chr\"}}"))
                        .isEqualTo(OK);
                assertThat(vmspawn.call("{\"execute\": \"query-chardev\"}")).doesNotContain("client0-chr");
                assertThat(ProcFds.awaitEquals(0, () -> ProcFds.referring(target)))
                        .as("qmpd closed the descriptor it was given")
                        .isZero();
            }
        }
    }
}
