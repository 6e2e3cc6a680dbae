package io.qmpd.command;

import static io.qmpd.command.HotplugFixture.OK;
import static io.qmpd.command.HotplugFixture.error;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** qmpd's {@code x-mode} of {@code chardev-add}: the permission bits of a listening unix socket's file. */
class SocketModeTest {

    private static String add(String id, String addr, boolean server, String mode) {
        return "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"" + id
                + "\", \"backend\": {\"type\": \"socket\", "
                + "\"data\": {\"addr\": " + addr + ", \"server\": " + server + (server ? ", \"wait\": false" : "")
                + (mode == null ? "" : ", \"x-mode\": \"" + mode + "\"") + "}}}}";
    }

    private static String unix(Path p) {
        return "{\"type\": \"unix\", \"data\": {\"path\": \"" + p + "\"}}";
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void xModeSetsTheSocketFileModeAndItsAbsenceKeepsItPrivate() throws Exception {
        try (HotplugFixture f = new HotplugFixture()) {
            assertThat(f.ctl.call(add("g", unix(f.path("g")), true, "0660"))).isEqualTo(OK);
            assertThat(perms(f.path("g"))).isEqualTo("rw-rw----");
            assertThat(f.ctl.call(add("o", unix(f.path("o")), true, "666"))).isEqualTo(OK);
            assertThat(perms(f.path("o"))).isEqualTo("rw-rw-rw-");
            assertThat(f.ctl.call(add("d", unix(f.path("d")), true, null))).isEqualTo(OK);
            assertThat(perms(f.path("d"))).isEqualTo("rw-------");
            // The mode is the one a client meets: a monitor on it still serves.
            assertThat(f.ctl.call(
                            "{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"mg\", \"chardev\": \"g\"}}"))
                    .isEqualTo(OK);
            assertThat(f.connect(f.path("g")).negotiate().call("{\"execute\": \"query-name\"}"))
                    .isEqualTo(OK);
        }
    }

    @Test
    void xModeIsRefusedWhenItIsNotOctalOrTheSocketDoesNotListenOnAUnixPath() {
        try (HotplugFixture f = new HotplugFixture()) {
            for (String bad : new String[] {"0999", "rw", "01000", ""}) {
                assertThat(f.ctl.call(add("b", unix(f.path("b")), true, bad)))
                        .as(bad)
                        .isEqualTo(error(
                                "Failed to add chardev 'b': 'x-mode' must be an octal number between 0 and 0777"));
            }
            assertThat(Files.exists(f.path("b"))).isFalse();
            assertThat(f.ctl.call(add("c", unix(f.path("c")), false, "0600")))
                    .isEqualTo(error("Failed to add chardev 'c': 'x-mode' applies only to a listening unix socket"));
            assertThat(f.ctl.call(add(
                            "t",
                            "{\"type\": \"inet\", \"data\": {\"host\": \"127.0.0.1\", \"port\": \"0\"}}",
                            true,
                            "0600")))
                    .isEqualTo(error("Failed to add chardev 't': 'x-mode' applies only to a listening unix socket"));
        }
    }
}
