package io.qmpd.command;

import static io.qmpd.command.HotplugFixture.OK;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.server.TestServer;
import io.qmpd.testing.NothingLeaks;
import io.qmpd.testing.QmpTestClient;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rings of any power-of-two size are accepted as QEMU accepts them, and cost only what is written
 * into them; what all rings hold together is bounded per server, over real sockets.
 */
@ExtendWith(NothingLeaks.class)
class RingbufLimitsTest {

    private static final int LIMIT = 1 << 20;

    private static String add(String id, long size) {
        return "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"" + id
                + "\", \"backend\": {\"type\": \"ringbuf\", \"data\": {\"size\": " + size + "}}}}";
    }

    private static String write(String id, int bytes) {
        return "{\"execute\": \"ringbuf-write\", \"arguments\": {\"device\": \"" + id + "\", \"format\": \"base64\", "
                + "\"data\": \"" + Base64.getEncoder().encodeToString(new byte[bytes]) + "\"}}";
    }

    @Test
    void ringsOfGibibytesAreAcceptedAndWritesPastTheServersMemoryFailWhileOthersAreServed() {
        try (HotplugFixture f = new HotplugFixture(new TestServer(false, b -> b.ringbufMemoryLimit(LIMIT)))) {
            QmpTestClient other = f.connect(f.dynamicMonitor("other")).negotiate();
            for (int i = 0; i < 4; i++) {
                assertThat(f.ctl.call(add("g" + i, 1L << 30))).isEqualTo(OK);
            }
            assertThat(f.ctl.call(add("two-g", 1L << 31))).isEqualTo(OK);
            assertThat(f.ctl.call(add("four-g", 1L << 32))).isEqualTo(OK);
            assertThat(f.ctl.call(write("g0", LIMIT / 2))).isEqualTo(OK);
            assertThat(f.ctl.call(write("two-g", LIMIT)))
                    .isEqualTo(HotplugFixture.error("ringbuf memory limit reached (" + LIMIT + " bytes)"));
            assertThat(other.call("{\"execute\": \"query-name\"}")).isEqualTo(OK);
            assertThat(f.ctl.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"g0\"}}"))
                    .isEqualTo(OK);
            assertThat(f.ctl.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"two-g\"}}"))
                    .isEqualTo(OK);
            assertThat(f.ctl.call(write("four-g", LIMIT)))
                    .as("room again once the rings are removed")
                    .isEqualTo(OK);
            assertThat(f.ctl.call("{\"execute\": \"ringbuf-read\", \"arguments\": {\"device\": \"four-g\", "
                            + "\"size\": 1, \"format\": \"base64\"}}"))
                    .isEqualTo("{\"return\": \"AA==\"}\r\n");
        }
    }
}
