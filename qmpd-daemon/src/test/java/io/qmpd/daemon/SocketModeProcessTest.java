package io.qmpd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.QmpTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's {@code -chardev socket,...,mode=OCTAL}: the socket file's mode; 0600 without it. */
class SocketModeProcessTest {

    @TempDir
    Path dir;

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void modeSetsTheSocketFileModeAndTheDefaultIsPrivate() throws Exception {
        Path group = dir.resolve("g.sock");
        Path plain = dir.resolve("d.sock");
        try (DaemonProcess d = DaemonProcess.start(
                dir,
                Map.of(),
                "-nodefaults",
                "-chardev",
                "socket,id=g,path=" + group + ",server=on,wait=off,mode=0660",
                "-mon",
                "chardev=g,mode=control",
                "-chardev",
                "socket,id=d,path=" + plain + ",server=on,wait=off",
                "-mon",
                "chardev=d,mode=control")) {
            DaemonProcess.awaitFile(group, d);
            DaemonProcess.awaitFile(plain, d);
            assertThat(perms(group)).isEqualTo("rw-rw----");
            assertThat(perms(plain)).isEqualTo("rw-------");
            try (QmpTestClient c = QmpTestClient.connect(group).negotiate()) {
                assertThat(c.ask("{\"execute\": \"quit\"}")).contains("\"event\": \"SHUTDOWN\"");
                assertThat(c.line()).isEqualTo("{\"return\": {}}");
            }
            assertThat(d.exitStatus()).isZero();
            assertThat(Files.exists(group)).isFalse();
            assertThat(Files.exists(plain)).isFalse();
        }
    }

    @Test
    void aModeThatIsNotOctalIsOneLineExitOne() throws Exception {
        Path bad = dir.resolve("b.sock");
        try (DaemonProcess d = DaemonProcess.start(
                dir,
                Map.of(),
                "-nodefaults",
                "-chardev",
                "socket,id=b,path=" + bad + ",server=on,wait=off,mode=0999")) {
            assertThat(d.exitStatus()).isEqualTo(1);
            assertThat(d.stderr())
                    .isEqualTo("qmpd: -chardev socket,id=b,path=" + bad
                            + ",server=on,wait=off,mode=0999: "
                            + "Parameter 'mode' expects an octal number between 0 and 0777\n");
            assertThat(Files.exists(bad)).isFalse();
        }
    }
}
