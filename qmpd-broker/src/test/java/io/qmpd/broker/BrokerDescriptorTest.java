package io.qmpd.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.NothingLeaks;
import io.qmpd.testing.QmpTestClient;
import io.qmpd.testing.ScmClient;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Descriptors through the broker on a real QEMU 7.2: each session's {@code getfd} names are its
 * own although every session's commands reach QEMU over one monitor, a command that names one
 * gets that session's descriptor, and what QEMU did not keep is the session's again.
 */
@ExtendWith(NothingLeaks.class)
@Timeout(60)
class BrokerDescriptorTest extends PerTestBroker {

    private static final String OK = "{\"return\": {}}\r\n";

    private int pairs;

    BrokerDescriptorTest() {
        super("qmpd-broker-fd-");
    }

    private ScmClient session() {
        return ScmClient.connect(fixture.addSession(false)).negotiate();
    }

    private static String getfd(String name) {
        return "{\"execute\": \"getfd\", \"arguments\": {\"fdname\": \"" + name + "\"}}\n";
    }

    private static String closefd(String name) {
        return "{\"execute\": \"closefd\", \"arguments\": {\"fdname\": \"" + name + "\"}}";
    }

    @Test
    void twoSessionsBothHoldMigAndOnlyTheMigratingSessionsDescriptorGetsTheStream() throws Exception {
        try (ScmClient a = session();
                ScmClient b = session();
                UnixPair toA = pair();
                UnixPair toB = pair()) {
            a.sendWithFd(getfd("mig"), toA.passedFd());
            assertThat(a.next()).isEqualTo(OK);
            b.sendWithFd(getfd("mig"), toB.passedFd());
            assertThat(b.next()).isEqualTo(OK);
            // closed as a manager closes its copy after sendmsg: the sessions' copies hold the
            // write ends open
            toA.near().close();
            toB.near().close();

            assertThat(a.call("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"fd:mig\"}}"))
                    .isEqualTo(OK);
            awaitMigrationCompleted();
            toA.far().configureBlocking(false);
            ByteBuffer stream = ByteBuffer.allocate(4);
            toA.far().read(stream);
            assertThat(new String(stream.array(), StandardCharsets.ISO_8859_1))
                    .as("QEMU's migration stream")
                    .isEqualTo("QEVM");
            toB.far().configureBlocking(false);
            assertThat(toB.far().read(ByteBuffer.allocate(16)))
                    .as("the other session's descriptor got nothing")
                    .isZero();

            assertThat(a.call(closefd("mig")))
                    .as("QEMU took the migrating session's descriptor")
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"File descriptor named 'mig' not found\"}}\r\n");
            assertThat(b.call(closefd("mig"))).isEqualTo(OK);
            toB.far().configureBlocking(true);
            assertThat(toB.far().read(ByteBuffer.allocate(16)))
                    .as("qmpd closed the other session's descriptor")
                    .isEqualTo(-1);
        }
    }

    private UnixPair pair() throws IOException {
        return UnixPair.open(fixture.dir.resolve("pair-" + pairs++ + ".sock"));
    }

    private void awaitMigrationCompleted() throws InterruptedException {
        try (QmpTestClient qemu = fixture.direct().negotiate()) {
            for (int i = 0; i < 500; i++) {
                String status = qemu.call("{\"execute\": \"query-migrate\"}");
                if (!status.contains("\"active\"") && !status.contains("\"setup\"")) {
                    assertThat(status).contains("\"status\": \"completed\"");
                    return;
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("the migration did not end within 5 s");
    }

    @Test
    void aNameTheSessionDoesNotHoldIsAnsweredAsQemuAnswersItsOwnMonitor() {
        String request = "{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"fd:nope\"}, \"id\": 7}";
        String direct;
        try (QmpTestClient qemu = fixture.direct().negotiate()) {
            direct = qemu.call(request);
        }
        try (ScmClient s = session()) {
            assertThat(s.call(request)).isEqualTo(direct);
        }
        assertThat(direct).contains("'nope'");
    }

    @Test
    void aDescriptorQemuDidNotTakeIsTheSessionsAgainAndQemuHoldsNoneOfIt() throws Exception {
        long qemuBaseline = BrokerFixture.descriptors(fixture.qemu.pid());
        try (ScmClient s = session();
                UnixPair pair = pair()) {
            for (int i = 0; i < 50; i++) {
                s.sendWithFd(getfd("mig"), pair.passedFd());
                assertThat(s.next()).isEqualTo(OK);
                // refused before QEMU looks the name up: it stays where it was
                assertThat(s.call("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"fd:mig\", \"resume\": true}}"))
                        .isEqualTo(
                                "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Cannot resume if there is no paused migration\"}}\r\n");
            }
            assertThat(BrokerFixture.descriptors(fixture.qemu.pid())).isEqualTo(qemuBaseline);
            assertThat(s.call(closefd("mig"))).isEqualTo(OK);
            assertThat(s.call(closefd("mig")))
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"File descriptor named 'mig' not found\"}}\r\n");
        }
        assertThat(BrokerFixture.descriptors(fixture.qemu.pid())).isEqualTo(qemuBaseline);
    }

    /**
     * The session's monitor is removed while QEMU (held with SIGSTOP) still has its command and
     * the descriptor lent for it: once QEMU answers, the descriptor is closed in both processes.
     */
    @Test
    void aDescriptorLentWhenItsMonitorIsRemovedIsClosedInQmpdAndInQemu() throws Exception {
        long qemuBaseline = BrokerFixture.descriptors(fixture.qemu.pid());
        try (QmpTestClient manager = fixture.session().negotiate();
                UnixPair pair = pair()) {
            Path path = fixture.dir.resolve("lent.sock");
            assertThat(manager.call("{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"lent\", "
                            + "\"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", "
                            + "\"data\": {\"path\": \"" + path + "\"}}, \"server\": true, \"wait\": false}}}}"))
                    .isEqualTo(OK);
            assertThat(manager.call(
                            "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"lent\", \"chardev\": \"lent\"}}"))
                    .isEqualTo(OK);
            try (ScmClient s = ScmClient.connect(path).negotiate()) {
                s.sendWithFd(getfd("mig"), pair.passedFd());
                assertThat(s.next()).isEqualTo(OK);
                pair.near().close();
                fixture.qemu.signal("STOP");
                s.send("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"fd:mig\", \"resume\": true}}\n");
                assertThat(manager.call("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"lent\"}}"))
                        .isEqualTo(OK);
                fixture.qemu.signal("CONT");
                assertThat(pair.far().read(ByteBuffer.allocate(16)))
                        .as("every copy of the descriptor closed: qmpd's and QEMU's")
                        .isEqualTo(-1);
            }
            assertThat(manager.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"lent\"}}"))
                    .isEqualTo(OK);
        }
        assertThat(BrokerFixture.descriptors(fixture.qemu.pid())).isEqualTo(qemuBaseline);
    }

    /**
     * Descriptor input QEMU refuses, sent alike to a monitor of QEMU's own and to a session: the
     * answers are the same, byte for byte, and the broker loses nothing on the way.
     */
    @Test
    void badDescriptorInputGetsTheAnswersADirectMonitorGets() throws Exception {
        List<String> direct;
        try (ScmClient qemu =
                ScmClient.connect(fixture.dir.resolve("direct.sock")).negotiate()) {
            direct = badDescriptorInput(qemu);
        }
        try (ScmClient s = session()) {
            assertThat(badDescriptorInput(s)).isEqualTo(direct);
        }
        assertThat(direct.get(0)).contains("No file descriptor supplied via SCM_RIGHTS");
    }

    private List<String> badDescriptorInput(ScmClient c) throws IOException {
        List<String> answers = new ArrayList<>();
        answers.add(c.call(getfd("none").strip()));
        try (FileInputStream devNull = new FileInputStream("/dev/null");
                FileInputStream other = new FileInputStream("/dev/null")) {
            c.sendWithFd(getfd("1digit"), devNull.getFD());
            answers.add(c.next());
            c.sendWithFds(getfd("two"), devNull.getFD(), other.getFD());
            answers.add(c.next());
            answers.add(c.call(closefd("two")));
            c.sendWithFd(getfd("notsock"), devNull.getFD());
            answers.add(c.next());
        }
        answers.add(c.call("{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"bad\", \"backend\": "
                + "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"fd\", \"data\": {\"str\": \"notsock\"}}, "
                + "\"server\": false}}}}"));
        answers.add(c.call(closefd("notsock")));
        return answers;
    }

    /**
     * 300 descriptors over 300 messages: all named, as QEMU names them, then all closed; and 300
     * more on messages of their own, each replacing the one before it (QEMU keeps the last), so
     * that one {@code getfd} names the last and qmpd holds none of the others.
     */
    @Test
    void threeHundredDescriptorsOverManyMessagesAreAnsweredAsQemuAnswersThem() throws Exception {
        try (ScmClient s = session();
                FileInputStream devNull = new FileInputStream("/dev/null")) {
            long own = BrokerFixture.descriptors(ProcessHandle.current().pid());
            for (int i = 0; i < 300; i++) {
                s.sendWithFd(getfd("f" + i), devNull.getFD());
                assertThat(s.next()).as("getfd f%d", i).isEqualTo(OK);
            }
            assertThat(BrokerFixture.descriptors(ProcessHandle.current().pid())).isEqualTo(own + 300);
            for (int i = 0; i < 300; i++) {
                assertThat(s.call(closefd("f" + i))).isEqualTo(OK);
            }
            for (int i = 0; i < 300; i++) {
                s.sendWithFd(" ", devNull.getFD());
            }
            assertThat(s.call(getfd("last").strip())).isEqualTo(OK);
            assertThat(BrokerFixture.descriptors(ProcessHandle.current().pid()))
                    .as("the descriptor named last")
                    .isEqualTo(own + 1);
            assertThat(s.call(getfd("none").strip()))
                    .as("the others were replaced, not kept")
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"No file descriptor supplied via SCM_RIGHTS\"}}\r\n");
            assertThat(s.call(closefd("last"))).isEqualTo(OK);
        }
    }

    /**
     * Clients that pass a descriptor with {@code add-fd} and hang up at once, 50 times: whether
     * the command was still read and run (QEMU then holds the descriptor in its fd set) or
     * dropped with the client's queue, qmpd keeps no copy of it.
     */
    @Test
    void clientsThatLeaveWithADescriptorOnTheirCommandLeaveNoCopyInQmpd() throws Exception {
        try (QmpTestClient manager = fixture.session().negotiate()) {
            Path path = fixture.addSession(false);
            long own = BrokerFixture.descriptors(ProcessHandle.current().pid());
            try (FileInputStream devNull = new FileInputStream("/dev/null")) {
                for (int i = 0; i < 50; i++) {
                    try (ScmClient s = ScmClient.connect(path).negotiate()) {
                        s.sendWithFd("{\"execute\": \"add-fd\", \"arguments\": {\"fdset-id\": 7}}\n", devNull.getFD());
                    }
                }
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (BrokerFixture.descriptors(ProcessHandle.current().pid()) > own && System.nanoTime() < deadline) {
                manager.call("{\"execute\": \"query-name\"}"); // a round trip through QEMU
            }
            assertThat(BrokerFixture.descriptors(ProcessHandle.current().pid())).isEqualTo(own);
            if (manager.call("{\"execute\": \"query-fdsets\"}").contains("\"fdset-id\": 7")) {
                assertThat(manager.call("{\"execute\": \"remove-fd\", \"arguments\": {\"fdset-id\": 7}}"))
                        .isEqualTo(OK);
            }
        }
    }

    @Test
    void addFdPassesTheSessionsDescriptorToQemusFdSets() throws Exception {
        long qemuBaseline = BrokerFixture.descriptors(fixture.qemu.pid());
        try (ScmClient s = session();
                UnixPair pair = pair()) {
            s.sendWithFd(
                    "{\"execute\": \"add-fd\", \"arguments\": {\"fdset-id\": 3, \"opaque\": \"x\"}}\n",
                    pair.passedFd());
            String added = s.next();
            assertThat(added).matches("\\{\"return\": \\{\"fd\": \\d+, \"fdset-id\": 3\\}\\}\r\n");
            String fd = added.replaceAll("\\D+", " ").trim().split(" ")[0];
            assertThat(BrokerFixture.descriptors(fixture.qemu.pid())).isEqualTo(qemuBaseline + 1);
            assertThat(s.call("{\"execute\": \"query-fdsets\"}"))
                    .isEqualTo("{\"return\": [{\"fds\": [{\"fd\": " + fd
                            + ", \"opaque\": \"x\"}], \"fdset-id\": 3}]}\r\n");
            assertThat(s.call("{\"execute\": \"add-fd\"}"))
                    .as("without a descriptor, QEMU's own answer")
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"No file descriptor supplied via SCM_RIGHTS\"}}\r\n");
            assertThat(s.call("{\"execute\": \"remove-fd\", \"arguments\": {\"fdset-id\": 3}}"))
                    .isEqualTo(OK);
        }
    }
}
