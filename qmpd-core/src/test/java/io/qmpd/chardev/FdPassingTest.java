package io.qmpd.chardev;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.io.Descriptors;
import io.qmpd.server.ServerInternals;
import io.qmpd.server.TestServer;
import io.qmpd.testing.ScmClient;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * Descriptor passing end to end over real sockets: a QMP monitor on a unix socket chardev
 * receives a socketpair end with SCM_RIGHTS, {@code getfd} names it, and {@code chardev-add}
 * with an {@code fd} address turns it into a chardev (systemd-vmspawn's flow).
 *
 * <p>Not under {@code NothingLeaks}: junixsocket 2.11's {@code AFUNIXSocketPair} leaves two
 * sockets open per pair after its close (measured: 4 open, 2 left). Each test counts the copies of
 * its own descriptors instead ({@link ProcFds#referring}).
 */
class FdPassingTest {

    private static final String OK = "{\"return\": {}}\r\n";

    @TempDir
    Path dir;

    private ScmClient monitorClient(TestServer t) throws Exception {
        Path sock = dir.resolve("qmp.sock");
        t.server.addChardev(SocketChardev.listen(
                "qmp", ServerInternals.loop(t.server), new SocketAddress.Unix(sock), false, false));
        t.server.addQmpMonitor(null, "qmp", false, false);
        return ScmClient.connect(sock).negotiate();
    }

    /**
     * close(2) on the test's copy, as a passing process does after sendmsg. (junixsocket's own
     * close shuts the socket down first, which would hang up every copy.)
     */
    private static void closeOwnCopy(FileDescriptor fd) throws Exception {
        new FileInputStream(fd).close();
    }

    private static String getfd(String name) {
        return "{\"execute\": \"getfd\", \"arguments\": {\"fdname\": \"" + name + "\"}}";
    }

    private static String closefd(String name) {
        return "{\"execute\": \"closefd\", \"arguments\": {\"fdname\": \"" + name + "\"}}";
    }

    private static String addFdChardev(String id, String fdname) {
        return "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"" + id
                + "\", \"backend\": {\"type\": \"socket\","
                + " \"data\": {\"addr\": {\"type\": \"fd\", \"data\": {\"str\": \"" + fdname
                + "\"}}, \"server\": false}}}}";
    }

    private static String error(String desc) {
        return "{\"error\": {\"class\": \"GenericError\", \"desc\": \"" + desc + "\"}}\r\n";
    }

    @Test
    void a_socketpair_end_passed_with_getfd_becomes_a_chardev_whose_monitor_greets_the_other_end() throws Exception {
        try (TestServer t = new TestServer();
                ScmClient qmp = monitorClient(t);
                AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open()) {
            // vmspawn's style: the descriptor rides on a single space, getfd follows
            qmp.sendWithFd(" ", pair.getSocket1().getFileDescriptor());
            assertThat(qmp.call(getfd("vmfd"))).isEqualTo(OK);
            closeOwnCopy(pair.getSocket1().getFileDescriptor()); // qmpd now holds the only copy of this end
            assertThat(qmp.call(addFdChardev("vm", "vmfd"))).isEqualTo(OK);
            assertThat(qmp.call(closefd("vmfd")))
                    .as("chardev-add took the descriptor out of the monitor's table")
                    .isEqualTo(error("File descriptor named 'vmfd' not found"));

            t.server.addQmpMonitor(null, "vm", false, true);
            try (ScmClient vm = new ScmClient(pair.getSocket2().socket())) {
                vm.negotiate();
                assertThat(vm.call("{\"execute\": \"query-chardev\"}"))
                        .contains("{\"frontend-open\": true, \"filename\": \"unix:\", \"label\": \"vm\"}");
                assertThat(qmp.call(addFdChardev("again", "vmfd")))
                        .isEqualTo(error(
                                "Failed to add chardev 'again': File descriptor named 'vmfd' has not been found"));
            }
        }
    }

    @Test
    void bytes_flow_both_ways_when_the_fd_comes_with_the_getfd_command_itself() throws Exception {
        try (TestServer t = new TestServer();
                ScmClient qmp = monitorClient(t);
                AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open()) {
            qmp.sendWithFd(getfd("peer") + "\n", pair.getSocket1().getFileDescriptor());
            assertThat(qmp.next()).isEqualTo(OK);
            closeOwnCopy(pair.getSocket1().getFileDescriptor());
            assertThat(qmp.call(addFdChardev("peer0", "peer"))).isEqualTo(OK);

            Chardev chardev = t.server.callOnDispatcher(
                    () -> ServerInternals.chardevs(t.server).find("peer0").orElseThrow());
            RecordingFrontend fe = new RecordingFrontend();
            chardev.attach(fe);
            assertThat(fe.next())
                    .as("the adopted socket is connected from the start")
                    .isEqualTo("opened");

            var other = pair.getSocket2().socket();
            other.setSoTimeout(10_000);
            other.getOutputStream().write("ping".getBytes(US_ASCII));
            assertThat(fe.receivedText(4)).isEqualTo("ping");
            chardev.write("pong\r\n".getBytes(US_ASCII));
            InputStream in = other.getInputStream();
            assertThat(new String(in.readNBytes(6), US_ASCII)).isEqualTo("pong\r\n");

            other.close();
            assertThat(fe.next()).as("the peer hung up").isEqualTo("closed");
            assertThat(chardev.filename()).isEqualTo("disconnected:fd:peer");
        }
    }

    @Test
    void getfd_replacing_a_name_closes_the_old_descriptor_and_closefd_closes_the_new_one() throws Exception {
        try (TestServer t = new TestServer();
                ScmClient qmp = monitorClient(t);
                AFUNIXSocketPair<AFUNIXSocketChannel> a = AFUNIXSocketPair.open();
                AFUNIXSocketPair<AFUNIXSocketChannel> b = AFUNIXSocketPair.open()) {
            FileDescriptor fdA = a.getSocket1().getFileDescriptor();
            FileDescriptor fdB = b.getSocket1().getFileDescriptor();
            String targetA = ProcFds.target(fdA);
            String targetB = ProcFds.target(fdB);
            assertThat(ProcFds.referring(targetA)).isEqualTo(1);

            qmp.sendWithFd(getfd("x") + "\n", fdA);
            assertThat(qmp.next()).isEqualTo(OK);
            assertThat(ProcFds.referring(targetA)).as("qmpd holds a copy of A").isEqualTo(2);

            qmp.sendWithFd(" ", fdB);
            assertThat(qmp.call(getfd("x"))).isEqualTo(OK);
            assertThat(ProcFds.referring(targetA))
                    .as("replacing 'x' closed qmpd's copy of A")
                    .isEqualTo(1);
            assertThat(ProcFds.referring(targetB)).isEqualTo(2);

            assertThat(qmp.call(closefd("x"))).isEqualTo(OK);
            assertThat(ProcFds.referring(targetB))
                    .as("closefd closed qmpd's copy of B")
                    .isEqualTo(1);
            assertThat(qmp.call(closefd("x"))).isEqualTo(error("File descriptor named 'x' not found"));
            assertThat(qmp.call(getfd("y"))).isEqualTo(error("No file descriptor supplied via SCM_RIGHTS"));
        }
    }

    @Test
    void a_name_starting_with_a_digit_is_refused_and_the_descriptor_closed() throws Exception {
        try (TestServer t = new TestServer();
                ScmClient qmp = monitorClient(t);
                AFUNIXSocketPair<AFUNIXSocketChannel> a = AFUNIXSocketPair.open()) {
            String target = ProcFds.target(a.getSocket1().getFileDescriptor());
            qmp.sendWithFd(getfd("1x") + "\n", a.getSocket1().getFileDescriptor());
            assertThat(qmp.next()).isEqualTo(error("Parameter 'fdname' expects a name not starting with a digit"));
            assertThat(ProcFds.referring(target)).isEqualTo(1);
        }
    }

    @Test
    void closing_the_server_closes_descriptors_still_named_by_getfd() throws Exception {
        try (AFUNIXSocketPair<AFUNIXSocketChannel> a = AFUNIXSocketPair.open()) {
            String target = ProcFds.target(a.getSocket1().getFileDescriptor());
            try (TestServer t = new TestServer();
                    ScmClient qmp = monitorClient(t)) {
                qmp.sendWithFd(getfd("kept") + "\n", a.getSocket1().getFileDescriptor());
                assertThat(qmp.next()).isEqualTo(OK);
                assertThat(ProcFds.referring(target)).isEqualTo(2);
            }
            assertThat(ProcFds.referring(target))
                    .as("server close closed qmpd's copy")
                    .isEqualTo(1);
        }
    }

    @Test
    void monitor_remove_closes_the_descriptors_the_removed_monitor_still_held() throws Exception {
        try (TestServer t = new TestServer();
                ScmClient control = monitorClient(t);
                AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open()) {
            Path sock = dir.resolve("dyn.sock");
            t.server.addChardev(SocketChardev.listen(
                    "dyn", ServerInternals.loop(t.server), new SocketAddress.Unix(sock), false, false));
            assertThat(control.call(
                            "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"m1\", \"chardev\": \"dyn\"}}"))
                    .isEqualTo(OK);
            FileDescriptor fd = pair.getSocket1().getFileDescriptor();
            String target = ProcFds.target(fd);
            try (ScmClient dynamic = ScmClient.connect(sock).negotiate()) {
                dynamic.sendWithFd(getfd("kept") + "\n", fd);
                assertThat(dynamic.next()).isEqualTo(OK);
                closeOwnCopy(fd);
                assertThat(ProcFds.referring(target))
                        .as("qmpd holds the only copy")
                        .isEqualTo(1);

                assertThat(control.call("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"m1\"}}"))
                        .isEqualTo(OK);
                assertThat(ProcFds.awaitEquals(0, () -> ProcFds.referring(target)))
                        .as("the removed monitor's getfd descriptor is closed")
                        .isZero();
            }
        }
    }

    @Test
    void a_message_with_many_descriptors_is_answered_and_qmpd_keeps_at_most_sixteen_of_them() throws Exception {
        try (AFUNIXSocketPair<AFUNIXSocketChannel> a = AFUNIXSocketPair.open()) {
            FileDescriptor fd = a.getSocket1().getFileDescriptor();
            String target = ProcFds.target(fd);
            try (TestServer t = new TestServer();
                    ScmClient qmp = monitorClient(t)) {
                for (int n : new int[] {17, 61, 100, 253}) {
                    FileDescriptor[] many = new FileDescriptor[n];
                    Arrays.fill(many, fd);
                    qmp.sendWithFds("{\"execute\": \"query-name\"}\n", many);
                    assertThat(qmp.next()).as("%d descriptors", n).isEqualTo(OK);
                    assertThat(ProcFds.referring(target))
                            .as("copies held after %d", n)
                            .isEqualTo(1 + SocketConnection.MAX_RECEIVED_FDS);
                }
                FileDescriptor[] many = new FileDescriptor[253];
                Arrays.fill(many, fd);
                qmp.sendWithFds(getfd("one") + "\n", many);
                assertThat(qmp.next()).isEqualTo(OK);
                assertThat(ProcFds.referring(target))
                        .as("getfd keeps one, closes the rest")
                        .isEqualTo(2);
                assertThat(qmp.call(closefd("one"))).isEqualTo(OK);
                assertThat(ProcFds.referring(target)).isEqualTo(1);
            }
        }
    }

    @Test
    void thousandsOfDescriptorsFromOneClientLeaveAnotherMonitorAnsweringAndNothingHeld() throws Exception {
        try (AFUNIXSocketPair<AFUNIXSocketChannel> a = AFUNIXSocketPair.open()) {
            FileDescriptor fd = a.getSocket1().getFileDescriptor();
            String target = ProcFds.target(fd);
            try (TestServer t = new TestServer();
                    ScmClient flood = monitorClient(t)) {
                Path otherSock = dir.resolve("other.sock");
                t.server.addChardev(SocketChardev.listen(
                        "other", ServerInternals.loop(t.server), new SocketAddress.Unix(otherSock), false, false));
                t.server.addQmpMonitor(null, "other", false, false);
                try (ScmClient other = ScmClient.connect(otherSock).negotiate()) {
                    FileDescriptor[] many = new FileDescriptor[253];
                    Arrays.fill(many, fd);
                    long slowest = 0;
                    for (int i = 0; i < 40; i++) { // 10,120 descriptors
                        flood.sendWithFds("{\"execute\": \"query-name\"}\n", many);
                        long start = System.nanoTime();
                        assertThat(other.call("{\"execute\": \"query-status\"}"))
                                .contains("\"running\"");
                        slowest = Math.max(slowest, System.nanoTime() - start);
                    }
                    for (int i = 0; i < 40; i++) {
                        assertThat(flood.next()).isEqualTo(OK);
                    }
                    assertThat(slowest)
                            .as("the other monitor's slowest answer, ns")
                            .isLessThan(1_000_000_000L);
                    assertThat(ProcFds.referring(target))
                            .as("only the last message's 16 are held")
                            .isEqualTo(1 + SocketConnection.MAX_RECEIVED_FDS);
                }
            }
            assertThat(ProcFds.referring(target)).isEqualTo(1);
        }
    }

    private static String addFdListener(String id, String fdname) {
        return "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"" + id
                + "\", \"backend\": {\"type\": \"socket\","
                + " \"data\": {\"addr\": {\"type\": \"fd\", \"data\": {\"str\": \"" + fdname
                + "\"}}, \"server\": true, "
                + "\"wait\": false}}}}";
    }

    /** Reads a line from a blocking JDK channel (bounded by the test's timeout). */
    private static String firstLine(SocketChannel ch) throws Exception {
        StringBuilder line = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (ch.read(one.clear()) > 0 && one.get(0) != '\n') {
            line.append((char) one.get(0));
        }
        return line.toString();
    }

    @Test
    void tcpAndUnixDescriptorsListeningOrConnectedServeMonitorsWithQemusFilenames() throws Exception {
        try (TestServer t = new TestServer();
                ScmClient qmp = monitorClient(t);
                ServerSocketChannel tcpListener = ServerSocketChannel.open();
                ServerSocketChannel unixListener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                ServerSocketChannel peer = ServerSocketChannel.open();
                SocketChannel tcpClient = SocketChannel.open()) {
            tcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
            int listenPort = ((InetSocketAddress) tcpListener.getLocalAddress()).getPort();
            Path unixPath = dir.resolve("passed.sock");
            unixListener.bind(UnixDomainSocketAddress.of(unixPath));
            peer.bind(new InetSocketAddress("127.0.0.1", 0));
            tcpClient.connect(peer.getLocalAddress());
            InetSocketAddress local = (InetSocketAddress) tcpClient.getLocalAddress();

            qmp.sendWithFd(
                    getfd("tl") + "\n", Descriptors.fileDescriptor(tcpListener).orElseThrow());
            assertThat(qmp.next()).isEqualTo(OK);
            assertThat(qmp.call(addFdListener("tl", "tl"))).isEqualTo(OK);
            qmp.sendWithFd(
                    getfd("ul") + "\n", Descriptors.fileDescriptor(unixListener).orElseThrow());
            assertThat(qmp.next()).isEqualTo(OK);
            assertThat(qmp.call(addFdListener("ul", "ul"))).isEqualTo(OK);
            qmp.sendWithFd(
                    getfd("tc") + "\n", Descriptors.fileDescriptor(tcpClient).orElseThrow());
            assertThat(qmp.next()).isEqualTo(OK);
            assertThat(qmp.call(addFdChardev("tc", "tc"))).isEqualTo(OK);
            assertThat(qmp.call("{\"execute\": \"query-chardev\"}"))
                    .contains(
                            "\"filename\": \"disconnected:tcp:127.0.0.1:" + listenPort
                                    + ",server=on\", \"label\": \"tl\"}",
                            "\"filename\": \"disconnected:unix:" + unixPath + ",server=on\", \"label\": \"ul\"}",
                            "\"filename\": \"tcp:127.0.0.1:" + local.getPort() + " <-> "
                                    + peer.getLocalAddress().toString().replace("/", "") + "\", \"label\": \"tc\"}");

            t.server.addQmpMonitor(null, "tl", false, true);
            t.server.addQmpMonitor(null, "tc", false, true);
            try (SocketChannel viaListener = SocketChannel.open(new InetSocketAddress("127.0.0.1", listenPort));
                    SocketChannel accepted = peer.accept()) {
                assertThat(firstLine(viaListener)).startsWith("{\"QMP\": ");
                assertThat(firstLine(accepted)).startsWith("{\"QMP\": ");
            }
        }
    }
}
