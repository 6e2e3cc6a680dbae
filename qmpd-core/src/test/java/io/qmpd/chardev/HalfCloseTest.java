package io.qmpd.chardev;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.server.ServerInternals;
import io.qmpd.server.TestServer;
import io.qmpd.testing.QmpTestClient;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a client's end meets input the monitor has not read yet. {@code printf '...' | socat -
 * UNIX-CONNECT:sock}, the way the README suggests talking to qmpd, sends all requests in one write
 * and then ends its sending side: every request is answered (regression: read-ahead saw the end
 * while the monitor was suspended after the first request and hung up before the rest ran). A
 * client that closes its socket entirely is gone at once, with what it left unread, as QEMU's
 * hang-up watch drops it: the next client is greeted even while the monitor waits for a command.
 */
@Timeout(20)
class HalfCloseTest {

    @TempDir
    Path dir;

    @Test
    void requestsSentBeforeTheClientShutsDownItsWritingSideAreAllAnswered() throws Exception {
        try (TestServer t = new TestServer()) {
            Path sock = dir.resolve("qmp.sock");
            t.server.addChardev(SocketChardev.listen(
                    "qmp", ServerInternals.loop(t.server), new SocketAddress.Unix(sock), false, false));
            t.server.addQmpMonitor(null, "qmp", false, false);
            try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                client.connect(UnixDomainSocketAddress.of(sock));
                client.write(ByteBuffer.wrap(("{\"execute\": \"qmp_capabilities\"}\n"
                                + "{\"execute\": \"query-status\", \"id\": 1}\n{\"execute\": \"query-name\", \"id\": 2}\n")
                        .getBytes(US_ASCII)));
                client.shutdownOutput();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                ByteBuffer buf = ByteBuffer.allocate(4096);
                while (client.read(buf.clear()) >= 0) {
                    got.write(buf.array(), 0, buf.position());
                }
                String[] lines = got.toString(US_ASCII).split("\r\n");
                assertThat(lines).hasSize(4);
                assertThat(lines[0]).startsWith("{\"QMP\": ");
                assertThat(lines[1]).isEqualTo("{\"return\": {}}");
                assertThat(lines[2]).startsWith("{\"return\": {\"status\": ").endsWith(", \"id\": 1}");
                assertThat(lines[3]).isEqualTo("{\"return\": {}, \"id\": 2}");
            }
        }
    }

    @Test
    void aClientThatClosesEntirelyWhileItsMonitorWaitsIsDroppedAtOnceWithWhatItLeftUnread() throws Exception {
        try (TestServer t = new TestServer()) {
            Path sock = dir.resolve("qmp.sock");
            t.server.addChardev(SocketChardev.listen(
                    "qmp", ServerInternals.loop(t.server), new SocketAddress.Unix(sock), false, false));
            t.server.addQmpMonitor(null, "qmp", false, false);
            try (QmpTestClient first = QmpTestClient.connect(sock).negotiate()) {
                first.send("{\"execute\": \"x-block\", \"arguments\": {\"tag\": \"a\"}}\n"
                        + "{\"execute\": \"x-oob-echo\", \"arguments\": {\"tag\": \"unread\"}}\n");
                assertThat(t.awaitBlockStarted()).isEqualTo("a");
            }
            try (QmpTestClient next = QmpTestClient.connect(sock)) {
                assertThat(next.next()).startsWith("{\"QMP\": ");
                assertThat(ServerInternals.dispatcher(t.server).current())
                        .as("greeted while the first client's command still runs, as QEMU's hang-up watch allows")
                        .isNotNull();
                t.release();
                assertThat(next.call("{\"execute\": \"qmp_capabilities\"}")).isEqualTo("{\"return\": {}}\r\n");
                assertThat(next.call("{\"execute\": \"x-oob-echo\", \"arguments\": {\"tag\": \"next\"}}"))
                        .isEqualTo("{\"return\": {}}\r\n");
                assertThat(t.echoed)
                        .as("what the first client left unread never ran")
                        .containsExactly("next");
            }
        }
    }
}
