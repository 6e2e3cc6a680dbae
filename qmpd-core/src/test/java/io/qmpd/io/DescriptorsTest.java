package io.qmpd.io;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * Guards the JDK internals {@link Descriptors} relies on (ADR 5). When a JDK update renames or
 * removes one of them, these tests fail with the JDK version and the member's name instead of
 * descriptor passing silently switching itself off.
 */
class DescriptorsTest {

    @Test
    void the_jdk_internals_for_descriptor_passing_are_reachable() {
        assertThat(Descriptors.unavailableReason())
                .as("JDK %s (%s): descriptor passing needs %s and %s, opened with"
                        + " --add-opens java.base/sun.nio.ch=ALL-UNNAMED (surefire's argLine, bin/qmpd)",
                        Runtime.version(), System.getProperty("java.vendor"),
                        Descriptors.FD_VAL_MEMBER, Descriptors.SOCKET_CHANNEL_MEMBER)
                .isEmpty();
        assertThat(Descriptors.available()).isTrue();
    }

    @Test
    void fd_val_is_the_channels_descriptor_number() throws Exception {
        try (SocketChannel ch = SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            int fd = Descriptors.fdVal(ch).orElseThrow(() -> new AssertionError(
                    "JDK " + Runtime.version() + ": " + Descriptors.FD_VAL_MEMBER + " gave no descriptor"));
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString()).startsWith("socket:[");
        }
    }

    @Test
    void an_adopted_descriptor_is_a_connected_jdk_channel() throws Exception {
        try (AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open()) {
            // a dup, as SCM_RIGHTS delivers it: the JDK channel owns it from now on
            var dup = org.newsclub.net.unix.FileDescriptorCast.duplicating(pair.getSocket1().getFileDescriptor())
                    .getFileDescriptor();
            try (SocketChannel adopted = Descriptors.adoptUnixSocket(dup)) {
                assertThat(adopted.isConnected())
                        .as("JDK %s: %s made an unconnected channel", Runtime.version(), Descriptors.SOCKET_CHANNEL_MEMBER)
                        .isTrue();
                adopted.write(ByteBuffer.wrap("hi".getBytes(US_ASCII)));
                ByteBuffer in = ByteBuffer.allocate(2);
                while (in.hasRemaining()) {
                    pair.getSocket2().read(in);
                }
                assertThat(new String(in.array(), US_ASCII)).isEqualTo("hi");
                try (AFUNIXSocketChannel view = Descriptors.receivingView(adopted).orElseThrow(
                        () -> new AssertionError("no junixsocket view on the adopted descriptor"))) {
                    assertThat(view.isOpen()).isTrue();
                }
            }
        }
    }

    /**
     * Regression: the view once wrapped the channel's very descriptor number; when the view
     * became unreachable, junixsocket's cleaner closed that number after a garbage collection —
     * by then often the descriptor of another client, which was hung up (found by the
     * side-by-side benchmark). The view must own a duplicate instead.
     */
    @Test
    void a_receiving_view_owns_a_duplicate_so_closing_it_leaves_the_channels_descriptor_open() throws Exception {
        try (AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open()) {
            var dup = org.newsclub.net.unix.FileDescriptorCast.duplicating(pair.getSocket1().getFileDescriptor())
                    .getFileDescriptor();
            try (SocketChannel channel = Descriptors.adoptUnixSocket(dup)) {
                int number = Descriptors.fdVal(channel).orElseThrow();
                Path link = Path.of("/proc/self/fd/" + number);
                String socket = Files.readSymbolicLink(link).toString();
                AFUNIXSocketChannel view = Descriptors.receivingView(channel).orElseThrow();
                int viewNumber = org.newsclub.net.unix.FileDescriptorCast.using(view.getFileDescriptor()).as(Integer.class);
                assertThat(viewNumber).as("the view's own descriptor").isNotEqualTo(number);
                assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + viewNumber)).toString()).isEqualTo(socket);
                Descriptors.releaseView(view); // as SocketConnection does on hang-up
                assertThat(Path.of("/proc/self/fd/" + viewNumber)).as("the duplicate is closed").doesNotExist();
                assertThat(Files.readSymbolicLink(link).toString())
                        .as("the channel's descriptor number still names its socket after the view is gone")
                        .isEqualTo(socket);
                assertThat(channel.isOpen()).isTrue();
            }
        }
    }
}
