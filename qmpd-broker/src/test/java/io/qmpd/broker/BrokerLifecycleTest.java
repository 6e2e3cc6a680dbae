package io.qmpd.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.NothingLeaks;
import io.qmpd.testing.QmpTestClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** How QEMU's end reaches the sessions: a {@code quit} from one of them, or QEMU dying under them. */
@ExtendWith(NothingLeaks.class)
@Timeout(60)
class BrokerLifecycleTest extends PerTestBroker {

    BrokerLifecycleTest() {
        super("qmpd-broker-life-");
    }

    @Test
    void quitFromOneSessionEndsEverySessionAsQemuWouldThenTheServer() throws Exception {
        QmpTestClient a = fixture.session().negotiate();
        QmpTestClient b = fixture.session().negotiate();
        a.send("{\"execute\": \"quit\", \"id\": \"q\"}\n");
        String shutdown = a.line();
        assertThat(QmpTestClient.untimed(shutdown))
                .isEqualTo("{T, \"event\": \"SHUTDOWN\", \"data\": {\"guest\": false, \"reason\": \"host-qmp-quit\"}}");
        assertThat(a.line()).isEqualTo("{\"return\": {}, \"id\": \"q\"}");
        assertThat(a.drainToEof()).isEmpty();
        assertThat(b.drainToEof()).containsExactly(shutdown + "\r\n");
        fixture.server.quitFuture().get(10, TimeUnit.SECONDS);
        assertThat(fixture.server.backendFailure()).isEmpty();
        assertThat(fixture.qemu.awaitExit(Duration.ofSeconds(10))).isZero();
    }

    /**
     * QEMU writes {@code cont}'s RESUME (and {@code stop}'s STOP) before the reply, often before
     * the broker's send has returned: the session must still see QEMU's order, every time.
     */
    @Test
    void anEventACommandEmitsReachesTheSessionBeforeItsReplyAsQemuWroteThem() {
        QmpTestClient a = fixture.session().negotiate();
        QmpTestClient b = fixture.session().negotiate();
        for (int i = 0; i < 300; i++) {
            for (String[] step : new String[][] {{"cont", "RESUME"}, {"stop", "STOP"}}) {
                a.send("{\"execute\": \"" + step[0] + "\", \"id\": " + i + "}\n");
                String event = "{T, \"event\": \"" + step[1] + "\"}";
                assertThat(QmpTestClient.untimed(a.line()))
                        .as("round %d, %s", i, step[0])
                        .isEqualTo(event);
                assertThat(a.line()).isEqualTo("{\"return\": {}, \"id\": " + i + "}");
                assertThat(QmpTestClient.untimed(b.line())).isEqualTo(event);
            }
        }
    }

    @Test
    void qemuKilledMidCommandEndsEverySessionWithoutAReplyAndTheServerSaysWhy() throws Exception {
        QmpTestClient a = fixture.session().negotiate();
        QmpTestClient b = fixture.session().negotiate();
        fixture.qemu.signal("STOP"); // QEMU reads nothing more: the next command stays in flight
        a.send("{\"execute\": \"query-status\", \"id\": 1}\n");
        b.send("{\"execute\": \"query-version\", \"id\": 2}\n");
        fixture.qemu.kill();
        assertThat(a.drainToEof())
                .as("a direct client of QEMU gets no reply either")
                .isEmpty();
        assertThat(b.drainToEof()).isEmpty();
        fixture.server.closeFuture().get(10, TimeUnit.SECONDS);
        assertThat(fixture.server.backendFailure()).contains("QEMU closed its QMP connection");
        assertThat(fixture.server.quitFuture()).isNotDone();
    }
}
