package io.qmpd.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.NothingLeaks;
import io.qmpd.testing.QmpTestClient;
import io.qmpd.testing.ScmClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
class BrokerDescriptorTest {

    private static final String OK = "{\"return\": {}}\r\n";

    private BrokerFixture fixture;
    private int pairs;

    @BeforeEach
    void start() throws Exception {
        fixture = BrokerFixture.startOrSkip("qmpd-broker-fd-");
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
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
