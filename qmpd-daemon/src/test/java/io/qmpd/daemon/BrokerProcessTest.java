package io.qmpd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qmpd.testing.QmpTestClient;
import io.qmpd.testing.ServerProcess;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/qmpd -upstream} as a process, in front of a real QEMU 7.2: how it starts and how it ends. */
@Timeout(60)
class BrokerProcessTest {

    @TempDir
    Path dir;

    private ServerProcess qemu;
    private Path upstream;

    @BeforeEach
    void startQemu() throws IOException {
        assumeTrue(ServerProcess.qemuAvailable(), "QEMU 7.2 (qemu-system-x86_64) is not installed");
        upstream = dir.resolve("upstream.sock");
        List<String> options = new ArrayList<>(ServerProcess.BARE_OPTIONS);
        options.addAll(List.of("-qmp", "unix:" + upstream + ",server=on,wait=off"));
        qemu = ServerProcess.start(
                ServerProcess.Kind.QEMU, options, dir.resolve("qemu.log"), List.of(upstream), Duration.ofSeconds(20));
    }

    @AfterEach
    void stopQemu() {
        if (qemu != null) {
            qemu.close();
        }
    }

    private DaemonProcess broker(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "-upstream",
                "unix:" + upstream,
                "-qmp",
                "unix:" + dir.resolve("s.sock") + ",server=on,wait=off",
                "-pidfile",
                dir.resolve("qmpd.pid").toString()));
        args.addAll(List.of(extra));
        return DaemonProcess.start(dir, Map.of(), args.toArray(String[]::new));
    }

    @Test
    void quitThroughASessionEndsQemuAndQmpdWithStatusZeroAndNothingLeftOnDisk() throws Exception {
        try (DaemonProcess d = broker()) {
            DaemonProcess.awaitFile(dir.resolve("s.sock"), d);
            try (QmpTestClient c = QmpTestClient.connect(dir.resolve("s.sock")).negotiate()) {
                assertThat(c.call("{\"execute\": \"query-status\"}")).contains("\"status\": \"prelaunch\"");
                c.send("{\"execute\": \"quit\"}\n");
                assertThat(c.drainToEof()).hasSize(2); // SHUTDOWN, then the reply
            }
            assertThat(d.exitStatus()).isZero();
            assertThat(d.stderr()).isEmpty();
        }
        assertThat(qemu.awaitExit(Duration.ofSeconds(10))).isZero();
        assertThat(dir.resolve("s.sock")).doesNotExist();
        assertThat(dir.resolve("qmpd.pid")).doesNotExist();
    }

    @Test
    void qemuGoingAwayEndsQmpdWithStatusOneAndOneLine() throws Exception {
        try (DaemonProcess d = broker()) {
            DaemonProcess.awaitFile(dir.resolve("s.sock"), d);
            try (QmpTestClient c = QmpTestClient.connect(dir.resolve("s.sock")).negotiate()) {
                qemu.kill();
                assertThat(c.drainToEof()).isEmpty();
            }
            assertThat(d.exitStatus()).isEqualTo(1);
            assertThat(d.stderr()).isEqualTo("qmpd: QEMU closed its QMP connection\n");
        }
        assertThat(dir.resolve("s.sock")).doesNotExist();
        assertThat(dir.resolve("qmpd.pid")).doesNotExist();
    }

    @Test
    void anUpstreamNobodyListensOnIsOneLineAndNoSocket() throws Exception {
        Path nobody = dir.resolve("nobody.sock");
        try (DaemonProcess d = DaemonProcess.start(
                dir,
                Map.of(),
                "-upstream",
                "unix:" + nobody,
                "-qmp",
                "unix:" + dir.resolve("s.sock") + ",server=on,wait=off")) {
            assertThat(d.exitStatus()).isEqualTo(1);
            assertThat(d.stderr())
                    .startsWith("qmpd: -upstream unix:" + nobody + ": ")
                    .endsWith("\n");
            assertThat(d.stderr().lines()).hasSize(1);
        }
        assertThat(dir.resolve("s.sock")).doesNotExist();
    }

    @Test
    void anUpstreamThatDoesNotGreetAsQemuIsOneLineAndNoSocket() throws Exception {
        Path fake = dir.resolve("fake.sock");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(fake));
            try (DaemonProcess d = DaemonProcess.start(
                    dir,
                    Map.of(),
                    "-upstream",
                    "unix:" + fake,
                    "-qmp",
                    "unix:" + dir.resolve("s.sock") + ",server=on,wait=off")) {
                try (SocketChannel peer = listener.accept()) {
                    peer.write(ByteBuffer.wrap("{\"hello\": \"world\"}\r\n".getBytes(StandardCharsets.UTF_8)));
                    assertThat(d.exitStatus()).isEqualTo(1);
                }
                assertThat(d.stderr()).startsWith("qmpd: -upstream unix:" + fake + ": ");
                assertThat(d.stderr().lines()).hasSize(1);
            }
        }
        assertThat(dir.resolve("s.sock")).doesNotExist();
    }

    @Test
    void anInheritedConnectedSocketIsAnUpstreamToo() throws Exception {
        Path listening = dir.resolve("activated.sock");
        try (DaemonProcess d = DaemonProcess.start(
                dir,
                Map.of(),
                List.of("perl", "-e", DaemonProcess.INHERIT_SOCKETS, upstream.toString(), listening.toString()),
                List.of(),
                "-upstream",
                "fd:CONNECTED_FD",
                "-chardev",
                "socket,id=l,fd=LISTENING_FD,server=on,wait=off",
                "-mon",
                "l,mode=control")) {
            try (QmpTestClient c = QmpTestClient.connect(listening)) {
                assertThat(c.next()).as("stderr: %s", d.stderr()).contains("\"package\": \"Debian");
                assertThat(c.call("{\"execute\": \"qmp_capabilities\"}")).isEqualTo("{\"return\": {}}\r\n");
                assertThat(c.call("{\"execute\": \"query-status\", \"id\": 1}"))
                        .isEqualTo(
                                "{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}, "
                                        + "\"id\": 1}\r\n");
            }
        }
    }

    @Test
    void machineOptionsAreRefusedWithAnUpstream() throws Exception {
        try (DaemonProcess d = broker("-S")) {
            assertThat(d.exitStatus()).isEqualTo(1);
            assertThat(d.stderr())
                    .isEqualTo("qmpd: -S: not with -upstream (it sets up the simulated machine; "
                            + "QEMU's own command line sets up QEMU's)\n");
        }
        assertThat(Files.exists(dir.resolve("s.sock"))).isFalse();
    }
}
