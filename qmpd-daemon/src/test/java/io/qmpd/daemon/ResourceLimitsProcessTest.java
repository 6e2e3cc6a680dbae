package io.qmpd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.QmpTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon under resource limits set for the test (a small heap, few descriptors): what one
 * client makes it allocate or open never stops the others.
 */
class ResourceLimitsProcessTest {

    private static final String OK = "{\"return\": {}}";

    @TempDir
    Path dir;

    private DaemonProcess start(List<String> wrapper, List<String> jvmOptions) throws Exception {
        DaemonProcess d = DaemonProcess.start(
                dir,
                Map.of(),
                wrapper,
                jvmOptions,
                "-machine",
                "none",
                "-nodefaults",
                "-qmp",
                "unix:" + dir.resolve("a.sock") + ",server=on,wait=off",
                "-qmp",
                "unix:" + dir.resolve("b.sock") + ",server=on,wait=off");
        DaemonProcess.awaitFile(dir.resolve("b.sock"), d);
        return d;
    }

    @Test
    void ringsOfAGibibyteEachUnderA64MiBHeapCostNothingUntilWrittenAndWritesStopAtTheBound() throws Exception {
        try (DaemonProcess d = start(List.of(), List.of("-Xmx64m"));
                QmpTestClient a = QmpTestClient.connect(dir.resolve("a.sock")).negotiate();
                QmpTestClient b = QmpTestClient.connect(dir.resolve("b.sock")).negotiate()) {
            String chunk = Base64.getEncoder().encodeToString(new byte[1 << 20]);
            for (int i = 0; i < 8; i++) {
                assertThat(a.ask("{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"r" + i + "\", "
                                + "\"backend\": {\"type\": \"ringbuf\", \"data\": {\"size\": 1073741824}}}}"))
                        .isEqualTo(OK);
            }
            // a sixteenth of 64 MiB: 4 MiB for all rings together
            int written = 0;
            String reply;
            while ((reply = a.ask("{\"execute\": \"ringbuf-write\", \"arguments\": {\"device\": \"r" + (written % 8)
                            + "\", \"format\": \"base64\", \"data\": \"" + chunk + "\"}}"))
                    .equals(OK)) {
                written++;
                assertThat(written).as("MiB written before the bound").isLessThan(64);
            }
            assertThat(reply)
                    .startsWith("{\"error\": {\"class\": \"GenericError\", \"desc\": \"ringbuf memory limit reached (");
            assertThat(b.ask("{\"execute\": \"query-status\"}")).contains("\"status\": \"running\"");
            assertThat(a.ask("{\"execute\": \"ringbuf-read\", \"arguments\": {\"device\": \"r0\", \"size\": 3145728, "
                            + "\"format\": \"base64\"}}"))
                    .startsWith("{\"return\": \"AAAA");
            assertThat(d.process.isAlive()).isTrue();
        }
    }

    @Test
    void aListenerThatRanOutOfDescriptorsAcceptsAgainOnceOneIsFree() throws Exception {
        // listeners in a directory others may read: each is bound in a private staging directory first
        Path shared = Files.createDirectory(
                dir.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try (DaemonProcess d = start(List.of("prlimit", "--nofile=256:256", "--"), List.of());
                QmpTestClient a = QmpTestClient.connect(dir.resolve("a.sock")).negotiate()) {
            int added = 0;
            String reply;
            while (OK.equals(reply = a.ask(addListener(added)))) {
                added++;
                assertThat(added)
                        .as("listeners added before the descriptors ran out")
                        .isLessThan(256);
            }
            assertThat(reply).as("stderr: %s", d.stderr()).contains("Too many open files");
            try (var left = Files.list(shared)) {
                assertThat(left.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".sock")))
                        .as("staging directories left behind")
                        .isEmpty();
            }
            try (QmpTestClient b = QmpTestClient.connect(dir.resolve("b.sock"))) {
                // accepted while no descriptor is free: the accept fails and the client waits
                // in the backlog; once one is free, the listener takes it
                assertThat(a.ask("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"l0\"}}"))
                        .isEqualTo(OK);
                assertThat(b.line()).startsWith("{\"QMP\": {\"version\": ");
                assertThat(b.ask("{\"execute\": \"qmp_capabilities\"}")).isEqualTo(OK);
            }
            assertThat(d.stderr()).contains("chardev compat_monitor1: cannot accept a connection");
        }
    }

    private String addListener(int i) {
        return "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"l" + i + "\", \"backend\": "
                + "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \""
                + dir.resolve("shared").resolve("l" + i + ".sock") + "\"}}, \"server\": true, \"wait\": false}}}}";
    }

    @Test
    void clientsSendingHugeValuesAtOnceUnderA128MiBHeapGetTheSizeErrorAndOthersAreServed() throws Exception {
        List<QmpTestClient> senders = new ArrayList<>();
        String chardevs = "";
        try (DaemonProcess d = DaemonProcess.start(
                dir,
                Map.of(),
                List.of(),
                List.of("-Xmx128m"),
                "-machine",
                "none",
                "-nodefaults",
                "-qmp",
                "unix:" + dir.resolve("ctl.sock") + ",server=on,wait=off",
                "-qmp",
                "unix:" + dir.resolve("s0.sock") + ",server=on,wait=off",
                "-qmp",
                "unix:" + dir.resolve("s1.sock") + ",server=on,wait=off",
                "-qmp",
                "unix:" + dir.resolve("s2.sock") + ",server=on,wait=off")) {
            DaemonProcess.awaitFile(dir.resolve("s2.sock"), d);
            QmpTestClient ctl = QmpTestClient.connect(dir.resolve("ctl.sock")).negotiate();
            String chunk = "a".repeat(1 << 20);
            for (int i = 0; i < 3; i++) {
                QmpTestClient s =
                        QmpTestClient.connect(dir.resolve("s" + i + ".sock")).negotiate();
                senders.add(s);
                s.send("{\"execute\": \"qmp_capabilities\", \"arguments\": {\"x\": \"");
            }
            // 3 clients x 20 MiB of one string each: far more than the eighth of the heap they may hold
            for (int mib = 0; mib < 20; mib++) {
                for (QmpTestClient s : senders) {
                    s.send(chunk);
                }
                assertThat(ctl.ask("{\"execute\": \"query-status\"}"))
                        .as("stderr: %s", d.stderr())
                        .contains("\"running\"");
            }
            int refused = 0;
            for (QmpTestClient s : senders) {
                s.send("\"}}\n");
                String first = s.line();
                if (first.equals(
                        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON token size limit exceeded\"}}")) {
                    refused++;
                }
            }
            assertThat(refused).as("senders refused at the bound").isPositive();
            String status = ctl.ask("{\"execute\": \"query-status\"}"); // null if the daemon died
            assertThat(status).as("stderr: %s", d.stderr()).contains("\"running\"");
            assertThat(d.process.isAlive()).isTrue();
            ctl.close();
        } finally {
            for (QmpTestClient s : senders) {
                s.close();
            }
        }
    }
}
