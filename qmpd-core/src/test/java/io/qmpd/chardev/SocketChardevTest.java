package io.qmpd.chardev;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.io.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketChardevTest {

    @TempDir
    Path dir;

    private EventLoop loop;
    private SocketChardev chardev;
    private final RecordingFrontend frontend = new RecordingFrontend();

    @BeforeEach
    void startLoop() {
        loop = new EventLoop("qmpd-io-test");
    }

    @AfterEach
    void stopLoop() {
        if (chardev != null) {
            chardev.close();
        }
        loop.close();
    }

    /**
     * A connected unix client costs the server one descriptor, the accepted socket, read by number
     * (ADR 5): 10,000 broker sessions fit where a process may hold 20,000.
     */
    @Test
    void aConnectedUnixClientCostsOneDescriptorBesideTheListener() throws Exception {
        int clients = 50;
        // warm-up: whatever the read path opens once per process (the descriptor reader's binding)
        // is in place before counting
        SocketChardev warm =
                SocketChardev.listen("warm", loop, new SocketAddress.Unix(dir.resolve("warm")), false, false);
        warm.attach(frontend);
        try (SocketChannel client = connect(dir.resolve("warm"))) {
            assertThat(frontend.next()).isEqualTo("opened");
            client.write(ByteBuffer.wrap("x".getBytes(US_ASCII)));
            assertThat(frontend.next()).isEqualTo("received x");
        }
        warm.close();
        List<SocketChardev> chardevs = new ArrayList<>();
        List<RecordingFrontend> frontends = new ArrayList<>();
        List<SocketChannel> ends = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                SocketChardev c =
                        SocketChardev.listen("c" + i, loop, new SocketAddress.Unix(dir.resolve("c" + i)), false, false);
                RecordingFrontend fe = new RecordingFrontend();
                c.attach(fe);
                chardevs.add(c);
                frontends.add(fe);
            }
            int listening = ProcFds.count();
            for (int i = 0; i < clients; i++) {
                ends.add(connect(dir.resolve("c" + i)));
            }
            for (RecordingFrontend fe : frontends) {
                assertThat(fe.next()).isEqualTo("opened");
            }
            // Two per connection (the accepted socket and the client's end); a duplicate per
            // connection would make it three. A little room for what other tests of this JVM
            // may open or close meanwhile.
            assertThat(ProcFds.count() - listening)
                    .as("descriptors for %d connections, the clients' ends included", clients)
                    .isBetween(2 * clients - 3, 2 * clients + 3);
        } finally {
            for (SocketChannel e : ends) {
                e.close();
            }
            chardevs.forEach(SocketChardev::close);
        }
    }

    @Test
    void clientConnectingToAUnixServerOpensTheFrontendAndItsBytesArrive() throws Exception {
        Path sock = dir.resolve("c.sock");
        chardev = SocketChardev.listen("c0", loop, new SocketAddress.Unix(sock), false, false);
        chardev.attach(frontend);
        assertThat(chardev.filename()).isEqualTo("disconnected:unix:" + sock + ",server=on");

        try (SocketChannel client = connect(sock)) {
            assertThat(frontend.next()).isEqualTo("opened");
            assertThat(chardev.filename()).isEqualTo("unix:" + sock + ",server=on");
            client.write(ByteBuffer.wrap("hello".getBytes(US_ASCII)));
            assertThat(frontend.next()).isEqualTo("received hello");

            chardev.write("reply\r\n".getBytes(US_ASCII));
            assertThat(readExactly(client, 7)).isEqualTo("reply\r\n");
        }
        assertThat(frontend.next()).isEqualTo("closed");
    }

    @Test
    void bytesTheFrontendLeavesAreKeptAndOfferedAgainAfterAcceptInput() throws Exception {
        Path sock = dir.resolve("c.sock");
        chardev = SocketChardev.listen("c0", loop, new SocketAddress.Unix(sock), false, false);
        frontend.consumeAtMost = 2;
        chardev.attach(frontend);
        try (SocketChannel client = connect(sock)) {
            assertThat(frontend.next()).isEqualTo("opened");
            client.write(ByteBuffer.wrap("abcdef".getBytes(US_ASCII)));
            assertThat(frontend.next()).isEqualTo("received ab");
            assertThat(frontend.events.poll(200, TimeUnit.MILLISECONDS))
                    .as("a frontend that leaves bytes unconsumed is not offered more until it accepts input")
                    .isNull();
            chardev.acceptInput();
            assertThat(frontend.next()).isEqualTo("received cd");
            chardev.acceptInput();
            assertThat(frontend.next()).isEqualTo("received ef");
        }
    }

    @Test
    void secondClientWaitsInTheBacklogUntilTheFirstLeaves() throws Exception {
        Path sock = dir.resolve("c.sock");
        chardev = SocketChardev.listen("c0", loop, new SocketAddress.Unix(sock), false, false);
        chardev.attach(frontend);
        SocketChannel first = connect(sock);
        assertThat(frontend.next()).isEqualTo("opened");
        try (SocketChannel second = connect(sock)) {
            second.write(ByteBuffer.wrap("x".getBytes(US_ASCII)));
            assertThat(frontend.events.poll(200, TimeUnit.MILLISECONDS)).isNull();
            first.close();
            assertThat(frontend.next()).isEqualTo("closed");
            assertThat(frontend.next()).isEqualTo("opened");
            assertThat(frontend.next()).isEqualTo("received x");
        }
    }

    @Test
    void frontendAttachingToAnOpenBackendIsOpenedAtOnceAndGetsWhatWaited() throws Exception {
        Path sock = dir.resolve("c.sock");
        chardev = SocketChardev.listen("c0", loop, new SocketAddress.Unix(sock), false, false);
        try (SocketChannel client = connect(sock)) {
            client.write(ByteBuffer.wrap("early".getBytes(US_ASCII)));
            awaitOpen();
            chardev.attach(frontend);
            assertThat(frontend.next()).isEqualTo("opened");
            assertThat(frontend.next()).isEqualTo("received early");
        }
    }

    @Test
    void closeUnlinksTheSocketFileAndClosesTheFrontend() throws Exception {
        Path sock = dir.resolve("c.sock");
        chardev = SocketChardev.listen("c0", loop, new SocketAddress.Unix(sock), false, false);
        chardev.attach(frontend);
        try (SocketChannel client = connect(sock)) {
            assertThat(frontend.next()).isEqualTo("opened");
            chardev.close();
            assertThat(frontend.next()).isEqualTo("closed");
            assertThat(Files.exists(sock)).isFalse();
            assertThat(client.read(ByteBuffer.allocate(1))).isEqualTo(-1);
        }
    }

    @Test
    void tcpServerOnPortZeroReportsTheChosenPort() throws Exception {
        chardev = SocketChardev.listen("t0", loop, new SocketAddress.Inet("127.0.0.1", 0), true, false);
        SocketAddress.Inet bound = (SocketAddress.Inet) chardev.boundAddress();
        assertThat(bound.port()).isPositive();
        assertThat(chardev.filename()).isEqualTo("disconnected:tcp:127.0.0.1:" + bound.port() + ",server=on");
        chardev.attach(frontend);
        try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", bound.port()))) {
            assertThat(frontend.next()).isEqualTo("opened");
            int peerPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
            assertThat(chardev.filename())
                    .isEqualTo("tcp:127.0.0.1:" + bound.port() + ",server=on <-> 127.0.0.1:" + peerPort);
        }
    }

    /** Waits, through bounded round trips of the loop, until the loop has accepted the client. */
    private void awaitOpen() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!chardev.isOpen() && System.nanoTime() < deadline) {
            CompletableFuture<Void> tick = new CompletableFuture<>();
            loop.execute(() -> tick.complete(null));
            tick.join();
        }
        assertThat(chardev.isOpen()).as("client accepted").isTrue();
    }

    private static SocketChannel connect(Path sock) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(sock));
        return ch;
    }

    private static String readExactly(SocketChannel ch, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                break;
            }
        }
        return new String(buf.array(), 0, buf.position(), US_ASCII);
    }
}
