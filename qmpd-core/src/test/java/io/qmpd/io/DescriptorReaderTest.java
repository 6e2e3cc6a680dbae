package io.qmpd.io;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Guards the junixsocket internals {@link DescriptorReader} calls (ADR 5): bytes and SCM_RIGHTS
 * descriptors read together from a JDK channel's own descriptor, non-blocking, with no descriptor
 * of its own.
 */
class DescriptorReaderTest {

    /** Fails loudly, naming the version, when a junixsocket upgrade moved what the reader calls. */
    @Test
    void the_junixsocket_internals_it_reads_through_are_reachable() {
        assertThat(DescriptorReader.unavailableReason())
                .as(
                        "junixsocket %s: %s must be reachable (see DescriptorReader's comment on upgrades)",
                        AFSocket.getVersion(), DescriptorReader.RECEIVE_MEMBER)
                .isEmpty();
    }

    @TempDir
    Path dir;

    private final DescriptorReader reader = DescriptorReader.create()
            .orElseThrow(() -> new AssertionError("junixsocket " + DescriptorReader.RECEIVE_MEMBER + ": "
                    + DescriptorReader.unavailableReason().orElse("?")));

    /**
     * One end of a socketpair as qmpd holds it (a JDK channel on a duplicate, as SCM_RIGHTS
     * delivers it), the other a junixsocket sender. junixsocket's copy of the first end stays
     * open until the end: its close would shut the socket down under the JDK channel too.
     */
    private record Pair(AFUNIXSocketPair<AFUNIXSocketChannel> af, SocketChannel jdk, FileDescriptor fd)
            implements AutoCloseable {
        static Pair open() throws Exception {
            AFUNIXSocketPair<AFUNIXSocketChannel> af = AFUNIXSocketPair.open();
            FileDescriptor dup = FileDescriptorCast.duplicating(af.getSocket1().getFileDescriptor())
                    .getFileDescriptor();
            SocketChannel jdk = Descriptors.adoptSocket(dup);
            jdk.configureBlocking(false);
            return new Pair(af, jdk, Descriptors.fileDescriptor(jdk).orElseThrow());
        }

        AFUNIXSocketChannel sender() {
            return af.getSocket2();
        }

        @Override
        public void close() throws Exception {
            jdk.close();
            af.close();
        }
    }

    private static ByteBuffer direct() {
        return ByteBuffer.allocateDirect(4096);
    }

    private int readAll(Pair p, ByteBuffer buf, int want) throws Exception {
        return readAll(p, p.fd(), buf, want);
    }

    private int readAll(Pair p, FileDescriptor fd, ByteBuffer buf, int want) throws Exception {
        int total = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (total < want && System.nanoTime() < deadline) {
            int n = reader.read(fd, buf);
            assertThat(n).isNotNegative();
            total += n;
        }
        return total;
    }

    @Test
    void bytes_and_the_descriptor_sent_with_them_arrive_together() throws Exception {
        Path file = Files.writeString(dir.resolve("passed"), "contents");
        try (Pair p = Pair.open();
                FileInputStream passed = new FileInputStream(file.toFile())) {
            p.sender().setOutboundFileDescriptors(passed.getFD());
            p.sender().write(ByteBuffer.wrap("{\"execute\": \"getfd\"}".getBytes(US_ASCII)));
            ByteBuffer buf = direct();
            assertThat(readAll(p, buf, 20)).isEqualTo(20);
            buf.flip();
            assertThat(US_ASCII.decode(buf).toString()).isEqualTo("{\"execute\": \"getfd\"}");
            FileDescriptor[] fds = reader.takeReceived();
            assertThat(fds).hasSize(1);
            try (FileInputStream in = new FileInputStream(fds[0])) {
                assertThat(new String(in.readAllBytes(), US_ASCII)).isEqualTo("contents");
            }
            assertThat(reader.takeReceived()).as("taken once").isEmpty();
        }
    }

    @Test
    void nothing_there_reads_zero_without_waiting_and_a_hang_up_reads_end_of_stream() throws Exception {
        try (Pair p = Pair.open()) {
            ByteBuffer buf = direct();
            assertThat(reader.read(p.fd(), buf)).isZero();
            assertThat(buf.position()).isZero();
            p.sender().close();
            assertThat(reader.read(p.fd(), buf)).isEqualTo(-1);
            assertThat(reader.takeReceived()).isEmpty();
        }
    }

    @Test
    void bytes_land_at_the_buffers_position_and_move_it() throws Exception {
        try (Pair p = Pair.open()) {
            ByteBuffer buf = direct().put("ab".getBytes(US_ASCII));
            p.sender().write(ByteBuffer.wrap("cd".getBytes(US_ASCII)));
            assertThat(readAll(p, buf, 2)).isEqualTo(2);
            assertThat(buf.position()).isEqualTo(4);
            buf.flip();
            assertThat(US_ASCII.decode(buf).toString()).isEqualTo("abcd");
        }
    }

    @Test
    void reading_makes_no_descriptor_of_its_own() throws Exception {
        try (Pair p = Pair.open()) {
            long before = openDescriptors();
            for (int i = 0; i < 100; i++) {
                p.sender().write(ByteBuffer.wrap("x".getBytes(US_ASCII)));
                assertThat(readAll(p, direct(), 1)).isEqualTo(1);
            }
            assertThat(openDescriptors()).isEqualTo(before);
        }
    }

    /**
     * Why SocketConnection reads through a duplicate: on a reset, junixsocket closes the
     * descriptor it was given. A channel's own number closed that way was reused by the next
     * socket and then closed again by the channel (SoakTest lost greetings and replies).
     */
    @Test
    void a_reset_closes_the_descriptor_read_from_and_leaves_the_channels_own_open() throws Exception {
        try (Pair p = Pair.open()) {
            FileDescriptor dup = Descriptors.duplicate(p.jdk()).orElseThrow();
            int own = FileDescriptorCast.using(
                            Descriptors.fileDescriptor(p.jdk()).orElseThrow())
                    .as(Integer.class);
            p.jdk().write(ByteBuffer.wrap(new byte[1000])); // unread by the peer: its close resets
            p.sender().write(ByteBuffer.wrap("half".getBytes(US_ASCII)));
            p.af().getSocket2().close();
            assertThat(readAll(p, dup, direct(), 4)).isEqualTo(4);
            assertThatThrownBy(() -> reader.read(dup, direct())).isInstanceOf(IOException.class);
            assertThat(dup.valid()).as("junixsocket closed the duplicate").isFalse();
            assertThat(Path.of("/proc/self/fd/" + own))
                    .as("the channel's own descriptor")
                    .exists();
            assertThat(p.jdk().isOpen()).isTrue();
        }
    }

    @Test
    void a_heap_buffer_is_refused() throws Exception {
        try (Pair p = Pair.open()) {
            assertThatThrownBy(() -> reader.read(p.fd(), ByteBuffer.allocate(16)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static long openDescriptors() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
