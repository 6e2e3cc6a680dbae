package io.qmpd.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.io.Descriptors;
import io.qmpd.testing.NothingLeaks;
import io.qmpd.testing.ScmClient;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * systemd-vmspawn's flow through the broker on a real QEMU 7.2, as vmspawn runs it: the manager
 * passes one end of a connected pair with {@code getfd}, makes a chardev on it with an {@code fd}
 * address and puts a monitor on that; the client on the other end negotiates {@code oob}, runs
 * commands on QEMU and passes a descriptor of its own for one; then the manager removes the
 * monitor and the chardev, round after round, with neither process keeping anything.
 */
@ExtendWith(NothingLeaks.class)
@Timeout(120)
class BrokerVmspawnFlowTest extends PerTestBroker {

    private static final String OK = "{\"return\": {}}\r\n";
    /**
     * A thousand, as systemd-vmspawn might hand out in a VM's life ({@code -Dqmpd.vmspawn.rounds}
     * for more). Before descriptors went to QEMU alone ({@code Upstream}), QEMU 7.2 segfaulted
     * about once in three such runs.
     */
    private static final int ROUNDS = Integer.getInteger("qmpd.vmspawn.rounds", 1000);

    BrokerVmspawnFlowTest() {
        super("qmpd-broker-vmspawn-");
    }

    @Test
    void sessionsHandedOutAndTakenBackRoundAfterRoundLeaveQmpdAndQemuAsTheyWere() throws Exception {
        try (ScmClient manager = ScmClient.connect(fixture.addSession(false)).negotiate()) {
            round(manager, 0); // the first round loads what every later one uses
            long qemuFds = BrokerFixture.descriptors(fixture.qemu.pid());
            long ownFds = BrokerFixture.descriptors(ProcessHandle.current().pid());
            int threads = Thread.activeCount();
            long heap = usedHeapAfterGc();
            long qemuRss = rssKiB(fixture.qemu.pid());
            for (int i = 1; i <= ROUNDS; i++) {
                round(manager, i);
            }
            assertThat(BrokerFixture.descriptors(fixture.qemu.pid()))
                    .as("QEMU's descriptors")
                    .isEqualTo(qemuFds);
            assertThat(BrokerFixture.descriptors(ProcessHandle.current().pid()))
                    .as("this process's descriptors (qmpd's and the test's)")
                    .isEqualTo(ownFds);
            assertThat(Thread.activeCount()).as("threads").isEqualTo(threads);
            assertThat(usedHeapAfterGc() - heap)
                    .as("heap growth over %d rounds (bytes)", ROUNDS)
                    .isLessThan(2L << 20);
            assertThat(rssKiB(fixture.qemu.pid()) - qemuRss)
                    .as("QEMU's RSS growth over %d rounds (KiB)", ROUNDS)
                    .isLessThan(2048);
        }
    }

    /** One session handed out and taken back; even rounds pass the end with {@code getfd}, odd ones just before it. */
    private void round(ScmClient manager, int i) throws IOException {
        Path path = fixture.dir.resolve("pair.sock");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(path));
            try (ScmClient client = ScmClient.connect(path);
                    SocketChannel end = listener.accept()) {
                Files.delete(path);
                String getfd = "{\"execute\": \"getfd\", \"arguments\": {\"fdname\": \"client\"}}";
                if (i % 2 == 0) {
                    manager.sendWithFd(getfd + "\n", fd(end));
                    assertThat(manager.next()).isEqualTo(OK);
                } else {
                    manager.sendWithFd(" ", fd(end));
                    assertThat(manager.call(getfd)).isEqualTo(OK);
                }
                end.close(); // vmspawn closes its copy once it is passed
                assertThat(manager.call("{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"client-chr\", "
                                + "\"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"fd\", "
                                + "\"data\": {\"str\": \"client\"}}, \"server\": false}}}}"))
                        .isEqualTo("{\"return\": {}}\r\n");
                assertThat(
                                manager.call(
                                        "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"client\", \"chardev\": \"client-chr\"}}"))
                        .isEqualTo(OK);

                assertThat(client.next()).startsWith("{\"QMP\": ").contains("\"capabilities\": [\"oob\"]");
                assertThat(client.call("{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}"))
                        .isEqualTo(OK);
                assertThat(client.call("{\"execute\": \"query-status\", \"id\": " + i + "}"))
                        .isEqualTo(
                                "{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}, \"id\": "
                                        + i + "}\r\n");
                assertThat(client.call("{\"exec-oob\": \"migrate-pause\", \"id\": \"oob\"}"))
                        .isEqualTo(
                                "{\"id\": \"oob\", \"error\": {\"class\": \"GenericError\", "
                                        + "\"desc\": \"migrate-pause is currently only supported during postcopy-active state\"}}\r\n");
                passOwnDescriptor(client);

                assertThat(manager.call("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"client\"}}"))
                        .isEqualTo(OK);
                assertThat(client.nextOrEof())
                        .as("the session ends with its monitor")
                        .isNull();
                assertThat(manager.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"client-chr\"}}"))
                        .isEqualTo(OK);
            }
        }
    }

    /** The client's own descriptor, named and lent to a command QEMU refuses, then closed by name. */
    private void passOwnDescriptor(ScmClient client) throws IOException {
        try (UnixPair pair = UnixPair.open(fixture.dir.resolve("own.sock"))) {
            client.sendWithFd("{\"execute\": \"getfd\", \"arguments\": {\"fdname\": \"mig\"}}\n", pair.passedFd());
            assertThat(client.next()).isEqualTo(OK);
        }
        assertThat(client.call("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"fd:mig\", \"resume\": true}}"))
                .isEqualTo("{\"error\": {\"class\": \"GenericError\", "
                        + "\"desc\": \"Cannot resume if there is no paused migration\"}}\r\n");
        assertThat(client.call("{\"execute\": \"closefd\", \"arguments\": {\"fdname\": \"mig\"}}"))
                .isEqualTo(OK);
    }

    private static FileDescriptor fd(SocketChannel channel) {
        return Descriptors.fileDescriptor(channel).orElseThrow();
    }

    private static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
