package io.qmpd.daemon;

import static io.qmpd.testing.QmpTestClient.untimed;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.QmpTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real daemon as a process, with each documented option combination, checked as a user sees it. */
class DaemonProcessTest {

    @TempDir
    Path dir;

    private DaemonProcess start(String... args) throws Exception {
        return DaemonProcess.start(dir, Map.of(), args);
    }

    private String[] corpus(String... extra) {
        return Stream.concat(
                        Stream.of(
                                "-machine",
                                "none",
                                "-nodefaults",
                                "-display",
                                "none",
                                "-S",
                                "-qmp",
                                "unix:" + dir.resolve("q.sock") + ",server=on,wait=off",
                                "-pidfile",
                                dir.resolve("q.pid").toString()),
                        Stream.of(extra))
                .toArray(String[]::new);
    }

    @Test
    void versionAndHelpPrintAndExitZero() throws Exception {
        try (DaemonProcess d = start("-version")) {
            assertThat(d.exitStatus()).isZero();
            assertThat(d.stdout()).startsWith("QEMU emulator version 11.0.0 (qmpd 0.1.0)\n");
            assertThat(d.stderr()).isEmpty();
        }
        try (DaemonProcess d = start("-h")) {
            assertThat(d.exitStatus()).isZero();
            assertThat(d.stdout())
                    .startsWith("usage: qmpd [options]\n")
                    .contains("-no-shutdown", "-object monitor-qmp");
        }
    }

    @Test
    void aBadOptionIsOneLineExitOneAndLeavesNoSocket() throws Exception {
        Path a = dir.resolve("a.sock");
        try (DaemonProcess d =
                start("-chardev", "socket,id=a,path=" + a + ",server=on,wait=off", "-mon", "chardev=x")) {
            assertThat(d.exitStatus()).isEqualTo(1);
            assertThat(d.stderr()).isEqualTo("qmpd: -mon chardev=x: chardev \"x\" not found\n");
        }
        // fails while creating: the socket made before is gone again
        try (DaemonProcess d = start(
                "-chardev",
                "socket,id=a,path=" + a + ",server=on,wait=off",
                "-chardev",
                "file,id=f,path=/nonexistent/dir/f")) {
            assertThat(d.exitStatus()).isEqualTo(1);
            assertThat(d.stderr())
                    .isEqualTo(
                            "qmpd: -chardev file,id=f,path=/nonexistent/dir/f: Could not open '/nonexistent/dir/f': No such file or directory\n");
        }
        try (DaemonProcess d = start("-machine", "none", "-smp", "2")) {
            assertThat(d.exitStatus()).isEqualTo(1);
            assertThat(d.stderr())
                    .isEqualTo("qmpd: -smp 2: Invalid SMP CPUs 2. The max CPUs supported by machine 'none' is 1\n");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".sock"));
        }
    }

    @Test
    void theTestSuiteCommandLineRunsTheMachineThroughItsStatesAndQuitEndsCleanly() throws Exception {
        try (DaemonProcess d = start(corpus("-name", "vm1", "-uuid", "12345678-1234-1234-1234-123456789abc"))) {
            DaemonProcess.awaitFile(dir.resolve("q.sock"), d);
            assertThat(Files.readString(dir.resolve("q.pid")).trim()).isEqualTo(Long.toString(d.process.pid()));
            try (QmpTestClient c = QmpTestClient.connect(dir.resolve("q.sock")).negotiate()) {
                assertThat(c.ask("{\"execute\": \"query-status\"}"))
                        .isEqualTo(
                                "{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}}");
                assertThat(c.ask("{\"execute\": \"query-name\"}")).isEqualTo("{\"return\": {\"name\": \"vm1\"}}");
                assertThat(c.ask("{\"execute\": \"query-uuid\"}"))
                        .isEqualTo("{\"return\": {\"UUID\": \"12345678-1234-1234-1234-123456789abc\"}}");
                assertThat(c.ask("{\"execute\": \"query-cpus-fast\"}")).isEqualTo("{\"return\": []}");
                assertThat(untimed(c.ask("{\"execute\": \"cont\"}"))).isEqualTo("{T, \"event\": \"RESUME\"}");
                assertThat(c.line()).isEqualTo("{\"return\": {}}");
                assertThat(untimed(c.ask("{\"execute\": \"stop\"}"))).isEqualTo("{T, \"event\": \"STOP\"}");
                assertThat(c.line()).isEqualTo("{\"return\": {}}");
                assertThat(untimed(c.ask("{\"execute\": \"system_reset\"}")))
                        .isEqualTo(
                                "{\"timestamp\": {T}, \"event\": \"RESET\", \"data\": {\"guest\": false, \"reason\": \"host-qmp-system-reset\"}}"
                                        .replace("\"timestamp\": {T}", "T"));
                assertThat(c.line()).isEqualTo("{\"return\": {}}");
                assertThat(c.ask("{\"execute\": \"query-status\"}"))
                        .isEqualTo(
                                "{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}}");
                assertThat(untimed(c.ask("{\"execute\": \"quit\", \"id\": \"bye\"}")))
                        .isEqualTo(
                                "{T, \"event\": \"SHUTDOWN\", \"data\": {\"guest\": false, \"reason\": \"host-qmp-quit\"}}");
                assertThat(c.line()).isEqualTo("{\"return\": {}, \"id\": \"bye\"}");
                assertThat(c.line()).isNull();
            }
            assertThat(d.exitStatus()).isZero();
            assertThat(d.stderr()).isEmpty();
            assertThat(d.stdout()).isEmpty();
        }
        assertThat(dir.resolve("q.sock")).doesNotExist();
        assertThat(dir.resolve("q.pid")).doesNotExist();
    }

    @Test
    void sigtermSendsShutdownHostSignalAndCleansUp() throws Exception {
        try (DaemonProcess d = start(corpus())) {
            DaemonProcess.awaitFile(dir.resolve("q.sock"), d);
            try (QmpTestClient c = QmpTestClient.connect(dir.resolve("q.sock")).negotiate()) {
                new ProcessBuilder("kill", "-TERM", Long.toString(d.process.pid()))
                        .start()
                        .waitFor();
                assertThat(untimed(c.line()))
                        .isEqualTo(
                                "{T, \"event\": \"SHUTDOWN\", \"data\": {\"guest\": false, \"reason\": \"host-signal\"}}");
                assertThat(c.line()).isNull();
            }
            assertThat(d.exitStatus()).isZero();
            assertThat(d.stderr()).isEqualTo("qmpd: terminating on signal 15\n");
        }
        assertThat(dir.resolve("q.sock")).doesNotExist();
        assertThat(dir.resolve("q.pid")).doesNotExist();
    }

    @Test
    void guestShutdownEndsTheRunUnlessNoShutdown() throws Exception {
        try (DaemonProcess d = start("-nodefaults", "-qmp", "unix:" + dir.resolve("q.sock") + ",server=on,wait=off")) {
            DaemonProcess.awaitFile(dir.resolve("q.sock"), d);
            try (QmpTestClient c = QmpTestClient.connect(dir.resolve("q.sock")).negotiate()) {
                assertThat(c.ask("{\"execute\": \"query-cpus-fast\"}"))
                        .contains("\"cpu-index\": 0", "\"target\": \"x86_64\"");
                assertThat(untimed(c.ask("{\"execute\": \"system_powerdown\"}")))
                        .isEqualTo("{T, \"event\": \"POWERDOWN\"}");
                assertThat(c.line()).isEqualTo("{\"return\": {}}");
                assertThat(untimed(c.line()))
                        .isEqualTo(
                                "{T, \"event\": \"SHUTDOWN\", \"data\": {\"guest\": true, \"reason\": \"guest-shutdown\"}}");
                assertThat(c.line()).isNull();
            }
            assertThat(d.exitStatus()).isZero();
        }
        try (DaemonProcess d = start(
                "-nodefaults",
                "-no-shutdown",
                "-smp",
                "2",
                "-qmp",
                "unix:" + dir.resolve("q.sock") + ",server=on,wait=off")) {
            DaemonProcess.awaitFile(dir.resolve("q.sock"), d);
            try (QmpTestClient c = QmpTestClient.connect(dir.resolve("q.sock")).negotiate()) {
                assertThat(c.ask("{\"execute\": \"query-cpus-fast\"}")).contains("\"cpu-index\": 1");
                c.ask("{\"execute\": \"system_powerdown\"}");
                assertThat(c.line()).isEqualTo("{\"return\": {}}");
                assertThat(untimed(c.line())).contains("\"SHUTDOWN\"", "guest-shutdown");
                assertThat(untimed(c.line())).isEqualTo("{T, \"event\": \"STOP\"}");
                assertThat(c.ask("{\"execute\": \"query-status\"}"))
                        .isEqualTo(
                                "{\"return\": {\"status\": \"shutdown\", \"singlestep\": false, \"running\": false}}");
                assertThat(c.ask("{\"execute\": \"cont\"}"))
                        .isEqualTo(
                                "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Resetting the Virtual Machine is required\"}}");
                c.ask("{\"execute\": \"quit\"}");
            }
            assertThat(d.exitStatus()).isZero();
        }
    }

    @Test
    void firstRunWithoutATerminalOffersAQmpSocketInTheRuntimeDirAndSaysHowToConnect() throws Exception {
        Path runtime = Files.createDirectory(dir.resolve("run"));
        try (DaemonProcess d = DaemonProcess.start(dir, Map.of("XDG_RUNTIME_DIR", runtime.toString()))) {
            Path sock = d.awaitFirstRunSocket(runtime);
            try (QmpTestClient c = QmpTestClient.connect(sock).negotiate()) {
                assertThat(d.stdout())
                        .isEqualTo("qmpd: QMP monitor on " + sock + "\n" + "qmpd: connect with: socat - UNIX-CONNECT:"
                                + sock + "   or: bin/qmp-shell " + sock + "\n");
                assertThat(c.ask("{\"execute\": \"query-monitors\"}"))
                        .contains("\"id\": \"qmp\"", "\"mode\": \"control\"", "\"chardev\": \"qmp\"")
                        .doesNotContain("readline");
                c.ask("{\"execute\": \"quit\"}");
            }
            assertThat(d.exitStatus()).isZero();
            assertThat(sock).doesNotExist();
        }
    }

    @Test
    void daemonizeReturnsOnceListeningAndTheChildWritesThePidfile() throws Exception {
        try (DaemonProcess d = start(corpus("-daemonize"))) {
            assertThat(d.exitStatus()).isZero();
            assertThat(d.stderr()).isEmpty();
            long child = Long.parseLong(Files.readString(dir.resolve("q.pid")).trim());
            assertThat(child).isNotEqualTo(d.process.pid());
            try (QmpTestClient c = QmpTestClient.connect(dir.resolve("q.sock")).negotiate()) {
                c.ask("{\"execute\": \"quit\"}");
                assertThat(c.line()).isEqualTo("{\"return\": {}}");
            }
            ProcessHandle.of(child)
                    .ifPresent(h -> h.onExit().orTimeout(20, TimeUnit.SECONDS).join());
        }
        assertThat(dir.resolve("q.pid")).doesNotExist();
    }

    @Test
    void logFileTakesTheLogAndTheTerminalStaysQuiet() throws Exception {
        Path log = dir.resolve("qmpd.log");
        try (DaemonProcess d = start(corpus("-D", log.toString()))) {
            DaemonProcess.awaitFile(dir.resolve("q.sock"), d);
            try (QmpTestClient c = QmpTestClient.connect(dir.resolve("q.sock")).negotiate()) {
                c.ask("{\"execute\": \"quit\"}");
            }
            assertThat(d.exitStatus()).isZero();
            assertThat(d.stderr()).isEmpty();
            assertThat(log).exists();
        }
    }
}
