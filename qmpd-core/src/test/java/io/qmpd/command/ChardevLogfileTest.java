package io.qmpd.command;

import static io.qmpd.command.HotplugFixture.OK;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.NothingLeaks;
import io.qmpd.testing.QmpTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** QEMU's {@code logfile}: everything the frontend writes to the chardev is copied into it. */
@ExtendWith(NothingLeaks.class)
class ChardevLogfileTest {

    private static String addWithLog(String id, Path socket, Path log, boolean append) {
        return "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"" + id
                + "\", \"backend\": {\"type\": \"socket\", "
                + "\"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"" + socket
                + "\"}}, \"server\": true, "
                + "\"wait\": false, \"logfile\": \"" + log + "\", \"logappend\": " + append + "}}}}";
    }

    @Test
    void aMonitorsOutputIsCopiedToItsChardevsLogfileAppendedOrTruncated() throws Exception {
        try (HotplugFixture f = new HotplugFixture()) {
            Path log = f.dir.resolve("mon.log");
            Files.writeString(log, "before\n");
            Path sock = f.dir.resolve("logged.sock");
            assertThat(f.ctl.call(addWithLog("logged", sock, log, true))).isEqualTo(OK);
            assertThat(f.ctl.call(
                            "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"m\", \"chardev\": \"logged\"}}"))
                    .isEqualTo(OK);
            try (QmpTestClient c = f.connect(sock).negotiate()) {
                assertThat(c.call("{\"execute\": \"query-name\"}")).isEqualTo(OK);
            }
            assertThat(f.ctl.call("{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"m\"}}"))
                    .isEqualTo(OK);
            assertThat(f.ctl.call("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"logged\"}}"))
                    .isEqualTo(OK);
            String logged = Files.readString(log);
            assertThat(logged)
                    .startsWith("before\n{\"QMP\": {\"version\": ")
                    .endsWith("\r\n{\"return\": {}}\r\n{\"return\": {}}\r\n");

            assertThat(f.ctl.call(addWithLog("again", sock, log, false))).isEqualTo(OK);
            assertThat(Files.size(log)).as("truncated without logappend").isZero();
        }
    }
}
