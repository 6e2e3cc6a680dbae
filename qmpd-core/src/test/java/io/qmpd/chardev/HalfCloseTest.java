package io.qmpd.chardev;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.server.ServerInternals;
import io.qmpd.server.TestServer;
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
 * {@code printf '...' | socat - UNIX-CONNECT:sock}, the way the README suggests talking to qmpd:
 * all requests in one write, then the end of the client's stream. Regression: read-ahead saw the
 * end while the monitor was suspended after the first request and hung up before the rest ran.
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
}
