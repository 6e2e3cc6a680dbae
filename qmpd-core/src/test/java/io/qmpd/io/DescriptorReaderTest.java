package io.qmpd.io;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * {@link DescriptorReader} against real socketpairs (ADR 5): bytes and SCM_RIGHTS descriptors read
 * together from a JDK channel's own descriptor, non-blocking, with no descriptor of its own, and
 * nothing closed on a reset. The sender is junixsocket, which can send descriptors.
 */
class DescriptorReaderTest {

    /** Fails loudly where libc's recvmsg cannot be bound (descriptor passing would be off). */
    @Test
    void libcs_recvmsg_is_bound() {
        assertThat(DescriptorReader.unavailableReason()).isEmpty();
    }

    @TempDir
    Path dir;

    private final DescriptorReader reader = DescriptorReader.create()
            .orElseThrow(() ->
                    new AssertionError(DescriptorReader.unavailableReason().orElse("?")));

    /**
     * One end of a socketpair as qmpd holds it (a JDK channel on a duplicate, as SCM_RIGHTS
     * delivers it), the other a junixsocket sender. junixsocket's copy of the first end stays
     * open until the end: its close would shut the socket down under the JDK channel too.
     */
    private record Pair(AFUNIXSocketPair<AFUNIXSocketChannel> af, SocketChannel jdk, int fd) implements AutoCloseable {
        static Pair open() throws Exception {
            AFUNIXSocketPair<AFUNIXSocketChannel> af = AFUNIXSocketPair.open();
            FileDescriptor dup = FileDescriptorCast.duplicating(af.getSocket1().getFileDescriptor())
                    .getFileDescriptor();
            SocketChannel jdk = Descriptors.adoptSocket(dup);
            jdk.configureBlocking(false);
            return new Pair(af, jdk, Descriptors.number(jdk).orElseThrow());
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
        int total = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (total < want && System.nanoTime() < deadline) {
            int n = reader.read(p.fd(), buf);
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
     * A reset fails the read and closes nothing: the descriptor read from is the channel's own,
     * which only the channel's close may close (a descriptor closed under it would be reused by
     * the next socket and closed again by the channel later).
     */
    @Test
    void a_reset_fails_the_read_and_leaves_the_channels_descriptor_open() throws Exception {
        try (Pair p = Pair.open()) {
            p.jdk().write(ByteBuffer.wrap(new byte[1000])); // unread by the peer: its close resets
            p.sender().write(ByteBuffer.wrap("half".getBytes(US_ASCII)));
            p.af().getSocket2().close();
            assertThat(readAll(p, direct(), 4)).isEqualTo(4);
            assertThatThrownBy(() -> reader.read(p.fd(), direct()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Connection reset by peer");
            assertThat(Path.of("/proc/self/fd/" + p.fd()))
                    .as("the channel's own descriptor")
                    .exists();
            assertThat(p.jdk().isOpen()).isTrue();
        }
    }

    @Test
    void many_descriptors_in_one_message_all_arrive_in_order() throws Exception {
        try (Pair p = Pair.open()) {
            List<FileInputStream> files = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    files.add(new FileInputStream(
                            Files.writeString(dir.resolve("f" + i), "file " + i).toFile()));
                }
                p.sender()
                        .setOutboundFileDescriptors(files.stream()
                                .map(f -> {
                                    try {
                                        return f.getFD();
                                    } catch (IOException e) {
                                        throw new UncheckedIOException(e);
                                    }
                                })
                                .toArray(FileDescriptor[]::new));
                p.sender().write(ByteBuffer.wrap("x".getBytes(US_ASCII)));
                assertThat(readAll(p, direct(), 1)).isEqualTo(1);
                FileDescriptor[] fds = reader.takeReceived();
                assertThat(fds).hasSize(200);
                for (int i = 0; i < fds.length; i++) {
                    try (FileInputStream in = new FileInputStream(fds[i])) {
                        assertThat(new String(in.readAllBytes(), US_ASCII)).isEqualTo("file " + i);
                    }
                }
            } finally {
                for (FileInputStream f : files) {
                    f.close();
                }
            }
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
