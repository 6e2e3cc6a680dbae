package io.qmpd.io;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SocketSend} on a real connected unix socket held by a JDK channel, as qmpd holds its clients. */
class SocketSendTest {

    @TempDir
    Path dir;

    private SocketChannel served;
    private SocketChannel client;
    private int fd;

    @BeforeEach
    void connect() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(dir.resolve("s")));
            client = SocketChannel.open(listener.getLocalAddress());
            served = listener.accept();
        }
        served.configureBlocking(false);
        fd = Descriptors.number(served).orElseThrow();
    }

    @AfterEach
    void close() throws IOException {
        served.close();
        client.close();
    }

    @Test
    void is_available_here() {
        assertThat(SocketSend.available()).isTrue();
    }

    @Test
    void sends_the_whole_array_to_the_peer() throws IOException {
        byte[] event = "{\"event\": \"STOP\"}\r\n".getBytes(US_ASCII);
        assertThat(SocketSend.send(fd, event)).isEqualTo(event.length);
        assertThat(SocketSend.send(fd, event)).isEqualTo(event.length);

        ByteBuffer got = ByteBuffer.allocate(2 * event.length);
        while (got.hasRemaining()) {
            client.read(got);
        }
        assertThat(new String(got.array(), US_ASCII)).isEqualTo("{\"event\": \"STOP\"}\r\n".repeat(2));
    }

    /** A peer that does not read: what fits is taken, then 0 without waiting; nothing is lost or reordered. */
    @Test
    void takes_what_fits_then_nothing_while_the_peer_does_not_read() throws IOException {
        byte[] chunk = new byte[64 * 1024];
        long sent = 0;
        int taken;
        byte next = 0;
        while (true) {
            Arrays.fill(chunk, next);
            taken = SocketSend.send(fd, chunk);
            if (taken < chunk.length) {
                sent += taken;
                break;
            }
            sent += taken;
            next++;
        }
        assertThat(SocketSend.send(fd, chunk)).isZero();

        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        long read = 0;
        while (read < sent) {
            in.clear();
            int n = client.read(in);
            for (int i = 0; i < n; i++) {
                assertThat(in.get(i)).isEqualTo((byte) ((read + i) / chunk.length));
            }
            read += n;
        }
        assertThat(read).isEqualTo(sent);
    }

    /** A client gone: an IOException (EPIPE), and no SIGPIPE ends the process. */
    @Test
    void a_peer_gone_is_an_io_exception() throws IOException {
        client.close();
        byte[] event = "{}\r\n".getBytes(US_ASCII);
        assertThatThrownBy(() -> {
                    for (int i = 0; i < 2; i++) { // the first may still be taken into the buffer
                        SocketSend.send(fd, event);
                    }
                })
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("send: ");
    }
}
