package io.qmpd.io;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileDescriptor;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Guards the JDK internals {@link Descriptors} relies on (ADR 5). When a JDK update renames or
 * removes one of them, these tests fail with the JDK version and the member's name instead of
 * descriptor passing silently switching itself off.
 */
class DescriptorsTest {

    @Test
    void the_jdk_internals_for_descriptor_passing_are_reachable() {
        assertThat(Descriptors.unavailableReason())
                .as(
                        "JDK %s (%s): descriptor passing needs %s and %s, opened with"
                                + " --add-opens java.base/sun.nio.ch=ALL-UNNAMED (surefire's argLine, bin/qmpd)",
                        Runtime.version(),
                        System.getProperty("java.vendor"),
                        Descriptors.FD_MEMBER,
                        Descriptors.SOCKET_CHANNEL_MEMBER)
                .isEmpty();
        assertThat(Descriptors.available()).isTrue();
    }

    @Test
    void the_channels_descriptor_is_its_socket() throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            FileDescriptor own = Descriptors.fileDescriptor(ch)
                    .orElseThrow(() -> new AssertionError(
                            "JDK " + Runtime.version() + ": " + Descriptors.FD_MEMBER + " gave no descriptor"));
            int fd = FileDescriptorCast.using(own).as(Integer.class);
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString())
                    .startsWith("socket:[");
        }
    }

    @Test
    void an_adopted_descriptor_is_a_connected_jdk_channel() throws Exception {
        try (AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open()) {
            // a dup, as SCM_RIGHTS delivers it: the JDK channel owns it from now on
            var dup = FileDescriptorCast.duplicating(pair.getSocket1().getFileDescriptor())
                    .getFileDescriptor();
            try (SocketChannel adopted = Descriptors.adoptSocket(dup)) {
                assertThat(adopted.isConnected())
                        .as(
                                "JDK %s: %s made an unconnected channel",
                                Runtime.version(), Descriptors.SOCKET_CHANNEL_MEMBER)
                        .isTrue();
                adopted.write(ByteBuffer.wrap("hi".getBytes(US_ASCII)));
                ByteBuffer in = ByteBuffer.allocate(2);
                while (in.hasRemaining()) {
                    pair.getSocket2().read(in);
                }
                assertThat(new String(in.array(), US_ASCII)).isEqualTo("hi");
                FileDescriptor own = Descriptors.fileDescriptor(adopted)
                        .orElseThrow(() -> new AssertionError(
                                "JDK " + Runtime.version() + ": " + Descriptors.FD_MEMBER + " gave no descriptor"));
                assertThat(own)
                        .as("the channel's own descriptor is the one it adopted")
                        .isSameAs(dup);
            }
        }
    }
}
