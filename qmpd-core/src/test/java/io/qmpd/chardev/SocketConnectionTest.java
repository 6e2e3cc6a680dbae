package io.qmpd.chardev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmpd.io.EventLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits of one socket client over real unix sockets: read-ahead while the frontend holds
 * input (hang-up seen, nothing offered early, nothing lost), flush-then-close on disconnect, the
 * pending-output bound, and the socket file's mode.
 */
class SocketConnectionTest {

    @TempDir
    Path dir;

    private final EventLoop loop = new EventLoop("qmpd-io-conn-test");
    private SocketChardev chardev;

    @AfterEach
    void stop() {
        if (chardev != null) {
            chardev.close();
        }
        loop.close();
    }

    @Test
    void aClientWhoseStreamEndsWhileItsInputIsHeldIsClosedOnlyAfterThatInputIsConsumed() throws Exception {
        RecordingFrontend fe = listen("h0");
        try (SocketChannel client = connect()) {
            assertThat(fe.next()).isEqualTo("opened");
            fe.consumeAtMost = 0; // hold the input
            client.write(ByteBuffer.wrap("{\"execute\":\"a\"}".getBytes()));
            assertThat(fe.next()).isEqualTo("received "); // offered, nothing taken
            client.write(ByteBuffer.wrap("{\"execute\":\"b\"}".getBytes()));
            client.shutdownOutput(); // printf ... | socat: the requests, then the end of the stream
            RecordingFrontend.drain(chardev);
            RecordingFrontend.drain(chardev);
            assertThat(fe.events.poll(200, TimeUnit.MILLISECONDS))
                    .as("nothing offered and no close while the input is held")
                    .isNull();

            fe.consumeAtMost = Integer.MAX_VALUE;
            chardev.acceptInput();
            assertThat(fe.receivedText(30)).isEqualTo("{\"execute\":\"a\"}{\"execute\":\"b\"}");
            assertThat(fe.next())
                    .as("closed once everything before the end was consumed")
                    .isEqualTo("closed");
        }
    }

    @Test
    void aClientOfAChardevWithoutFrontendIsDisconnectedWhenItLeaves() throws Exception {
        Path sock = dir.resolve("c.sock");
        chardev = SocketChardev.listen("spare", loop, new SocketAddress.Unix(sock), false, false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try (SocketChannel client = connect()) {
            client.write(ByteBuffer.wrap("hello spare\n".getBytes()));
            // the listening chardev reads "disconnected:" before the accept too: wait for the accept
            while (chardev.filename().startsWith("disconnected:")) {
                assertThat(System.nanoTime() - deadline)
                        .as("accepted; filename %s", chardev.filename())
                        .isNegative();
                Thread.onSpinWait();
            }
        }
        while (!chardev.filename().startsWith("disconnected:")) {
            assertThat(System.nanoTime() - deadline)
                    .as("filename %s", chardev.filename())
                    .isNegative();
            RecordingFrontend.drain(chardev);
        }
        assertThat(chardev.filename()).isEqualTo("disconnected:unix:" + sock + ",server=on");
    }

    @Test
    void heldInputIsReadAheadUpToTheBoundThenEverythingArrivesInOrderAfterAcceptInput() throws Exception {
        RecordingFrontend fe = listen("h1");
        byte[] data = new byte[8 * SocketConnection.KEPT_MAX];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        try (SocketChannel client = connect()) {
            assertThat(fe.next()).isEqualTo("opened");
            fe.consumeAtMost = 0; // hold the input
            client.write(ByteBuffer.wrap(data, 0, 10));
            assertThat(fe.next()).isEqualTo("received "); // offered, nothing taken
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    client.write(ByteBuffer.wrap(data, 10, data.length - 10));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // The chardev reads ahead to its bound, then stops: the writer stays blocked.
            awaitTrue(() -> keptBytes() >= SocketConnection.KEPT_MAX);
            assertThat(keptBytes()).isEqualTo(SocketConnection.KEPT_MAX);
            assertThat(writer).isNotDone();
            assertThat(fe.events).isEmpty();
            fe.consumeAtMost = Integer.MAX_VALUE;
            chardev.acceptInput();
            writer.get(5, TimeUnit.SECONDS);
            assertThat(fe.receivedText(data.length)).isEqualTo(new String(data, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void disconnectDeliversALargeQueuedOutputBeforeClosing() throws Exception {
        RecordingFrontend fe = listen("d0");
        byte[] big = new byte[4 << 20];
        Arrays.fill(big, (byte) 'x');
        try (SocketChannel client = connect()) {
            assertThat(fe.next()).isEqualTo("opened");
            chardev.write(big);
            chardev.write("\r\n".getBytes());
            chardev.disconnect();
            ByteBuffer in = ByteBuffer.allocate(big.length + 16);
            while (client.read(in) >= 0) {
                assertThat(in.hasRemaining()).isTrue();
            }
            assertThat(in.position()).isEqualTo(big.length + 2);
        }
        assertThat(fe.next()).isEqualTo("closed");
    }

    @Test
    void disconnectClosesAnywayWhenTheClientNeverReads() throws Exception {
        RecordingFrontend fe = listen("d1");
        try (SocketChannel client = connect()) {
            assertThat(fe.next()).isEqualTo("opened");
            chardev.write(new byte[4 << 20]);
            chardev.disconnect();
            // Closed within the bound although the client never reads. (How long it waits first
            // depends on how much the kernel's socket buffers take; that queued output is delivered
            // before the close is asserted by SelfRemovalFlushTest.)
            String e = fe.events.poll(SocketConnection.CLOSE_FLUSH_MILLIS + 3_000, TimeUnit.MILLISECONDS);
            assertThat(e).isEqualTo("closed");
        }
    }

    @Test
    void aClientOverItsOutputLimitIsDisconnectedWhileAnotherChardevKeepsWorking() throws Exception {
        RecordingFrontend fe = listen("o0");
        chardev.outputLimit(1 << 20);
        Path otherSock = dir.resolve("other.sock");
        try (SocketChardev other = SocketChardev.listen("o1", loop, new SocketAddress.Unix(otherSock), false, false);
                SocketChannel client = connect()) {
            RecordingFrontend otherFe = new RecordingFrontend();
            other.attach(otherFe);
            assertThat(fe.next()).isEqualTo("opened");
            byte[] chunk = new byte[64 << 10];
            for (int i = 0; i < 64; i++) { // 4 MiB offered, never read
                chardev.write(chunk);
                // the limit is on what is queued behind the write in progress
                assertThat(chardev.pendingOutput()).isLessThanOrEqualTo((1 << 20) + 2L * chunk.length);
            }
            assertThat(fe.next()).isEqualTo("closed");
            try (SocketChannel otherClient = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                otherClient.connect(UnixDomainSocketAddress.of(otherSock));
                assertThat(otherFe.next()).isEqualTo("opened");
                other.write("still here".getBytes());
                ByteBuffer got = ByteBuffer.allocate(10);
                while (got.hasRemaining() && otherClient.read(got) >= 0) {
                    // bounded by the socket: 10 bytes are on their way
                }
                assertThat(new String(got.array())).isEqualTo("still here");
            }
            // The slow client sees its connection closed (after what the kernel buffered).
            ByteBuffer sink = ByteBuffer.allocate(1 << 16);
            long total = 0;
            int n;
            while ((n = client.read(sink.clear())) >= 0) {
                total += n;
            }
            assertThat(total).isLessThanOrEqualTo(1 << 20);
        }
    }

    @Test
    void writesLargerThanTheLimitReachAClientThatReadsWhole() throws Exception {
        RecordingFrontend fe = listen("big");
        chardev.outputLimit(1 << 20);
        try (SocketChannel client = connect()) {
            assertThat(fe.next()).isEqualTo("opened");
            byte[] big = new byte[3 << 20];
            Arrays.fill(big, (byte) 'x');
            chardev.write(big); // one reply three times the limit
            chardev.write("and after it".getBytes()); // an event behind it
            ByteBuffer got = ByteBuffer.allocate(big.length + 12);
            while (got.hasRemaining() && client.read(got) >= 0) {
                // bounded: the test's timeout; every byte is on its way
            }
            assertThat(got.position()).isEqualTo(big.length + 12);
            assertThat(new String(got.array(), big.length, 12)).isEqualTo("and after it");
            assertThat(fe.events).doesNotContain("closed");
        }
    }

    @Test
    void unixSocketFilesArePrivateByDefaultAndTakeTheModeAskedFor() throws Exception {
        chardev = SocketChardev.listen("m0", loop, new SocketAddress.Unix(dir.resolve("m0.sock")), false, false);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("m0.sock"))))
                .isEqualTo("rw-------");
        try (SocketChardev shared = SocketChardev.listen(
                "m1",
                loop,
                new SocketAddress.Unix(dir.resolve("m1.sock")),
                false,
                false,
                UnixSocketMode.parse("0660"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("m1.sock"))))
                    .isEqualTo("rw-rw----");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("m0.sock");
        }
        assertThat(UnixSocketMode.parse("600")).isEqualTo(UnixSocketMode.PRIVATE);
        assertThat(UnixSocketMode.PRIVATE).hasToString("0600");
        assertThatThrownBy(() -> UnixSocketMode.parse("0800"))
                .hasMessage("mode must be an octal number between 0 and 0777");
        assertThatThrownBy(() -> UnixSocketMode.parse("1777"))
                .hasMessage("mode must be an octal number between 0 and 0777");
    }

    @Test
    void aSocketInASharedDirectoryIsPrivateFromItsFirstMomentAndLeavesNoStagingBehind() throws Exception {
        // @TempDir is 0700: private, bound under a temporary name beside the path. A 0755
        // directory takes the staging directory detour.
        Path shared = Files.createDirectory(
                dir.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x")); // past the umask
        assertThat(SocketListen.isPrivateDirectory(dir)).isTrue();
        assertThat(SocketListen.isPrivateDirectory(shared)).isFalse();
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwx--x---"));
        assertThat(SocketListen.isPrivateDirectory(shared))
                .as("group may enter")
                .isFalse();
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr--r--"));
        assertThat(SocketListen.isPrivateDirectory(shared))
                .as("readable, not enterable")
                .isTrue();
        assertThat(SocketListen.isPrivateDirectory(Path.of("/")))
                .as("everybody may enter")
                .isFalse();
        assertThat(SocketListen.isPrivateDirectory(dir.resolve("missing"))).isFalse();
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));

        for (Path socket : new Path[] {shared.resolve("s0.sock"), dir.resolve("p0.sock")}) {
            try (SocketChardev c = SocketChardev.listen("s", loop, new SocketAddress.Unix(socket), false, false);
                    SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                assertThat(client.isConnected()).isTrue();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
                        .isEqualTo("rw-------");
            }
        }
        try (var files = Files.list(shared)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no staging directory left")
                    .isEmpty();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary name left")
                    .containsExactly("shared");
        }
    }

    @Test
    void aClientThatConnectsAsSoonAsTheSocketFileExistsIsNeverRefused() throws Exception {
        // Java binds, then listens: bound at its final path, the file would exist for a moment
        // in which a connect is refused. 200 races between a binder and a poller.
        for (int i = 0; i < 200; i++) {
            String id = "r" + i;
            Path socket = dir.resolve(id + ".sock");
            CompletableFuture<SocketChardev> bound = CompletableFuture.supplyAsync(() -> {
                try {
                    return SocketChardev.listen(id, loop, new SocketAddress.Unix(socket), false, false);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!Files.exists(socket)) {
                assertThat(System.nanoTime() - deadline)
                        .as("socket file within 5 s")
                        .isNegative();
                Thread.onSpinWait();
            }
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                    SocketChardev c = bound.get(5, TimeUnit.SECONDS)) {
                assertThat(client.isConnected()).as("race %d", i).isTrue();
            }
        }
    }

    private RecordingFrontend listen(String id) throws IOException {
        chardev = SocketChardev.listen(id, loop, new SocketAddress.Unix(dir.resolve("c.sock")), false, false);
        RecordingFrontend fe = new RecordingFrontend();
        chardev.attach(fe);
        return fe;
    }

    private SocketChannel connect() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(dir.resolve("c.sock")));
        return ch;
    }

    /** Kept input as the loop sees it (a loop round trip). */
    private int keptBytes() {
        CompletableFuture<Integer> n = new CompletableFuture<>();
        loop.execute(() -> n.complete(chardev.keptInput()));
        return n.join();
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
