package io.qmpd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.QmpTestClient;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** Command lines QEMU 7.2 accepts, run as a user runs them: qmpd starts and serves as QEMU does. */
class CommandLineFidelityProcessTest {

    @TempDir
    Path dir;

    private DaemonProcess start(String... args) throws IOException {
        return DaemonProcess.start(dir, Map.of(), args);
    }

    private ServerSocketChannel listener(String name) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(dir.resolve(name)));
        return s;
    }

    /** The first line the peer writes (blocking; the test's timeout bounds it). */
    private static String firstLine(SocketChannel ch) throws IOException {
        StringBuilder line = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (ch.read(one.clear()) > 0) {
            char c = (char) one.get(0);
            if (c == '\n') {
                return line.toString();
            }
            line.append(c);
        }
        return line.toString();
    }

    @Test
    void clientModeSocketsConnectOutAndTheMonitorGreetsThePeer() throws Exception {
        try (ServerSocketChannel chardev = listener("chardev.sock");
                ServerSocketChannel legacy = listener("legacy.sock");
                ServerSocketChannel reconnecting = listener("reconnect.sock");
                DaemonProcess d = start(
                        "-machine",
                        "none",
                        "-nodefaults",
                        "-chardev",
                        "socket,id=c,path=" + dir.resolve("chardev.sock"),
                        "-mon",
                        "c,mode=control",
                        "-qmp",
                        "unix:" + dir.resolve("legacy.sock"),
                        "-chardev",
                        "socket,id=r,path=" + dir.resolve("reconnect.sock") + ",reconnect=1",
                        "-mon",
                        "r,mode=control")) {
            for (ServerSocketChannel s : new ServerSocketChannel[] {chardev, legacy, reconnecting}) {
                try (SocketChannel peer = s.accept()) {
                    assertThat(firstLine(peer))
                            .as("greeting on %s (stderr: %s)", s.getLocalAddress(), d.stderr())
                            .startsWith("{\"QMP\": {\"version\": ");
                }
            }
        }
    }

    /**
     * {@code -chardev pty} as libvirt writes it for a serial console: QEMU 7.2 prints where the
     * terminal is; so does qmpd, and the pty is there, listed, and gone with its chardev.
     */
    @Test
    void aPtyChardevSaysWhereItsTerminalIsAsQemuDoes() throws Exception {
        String qemuSays = qemuFirstLine(
                "-machine", "none", "-nodefaults", "-display", "none", "-S", "-chardev", "pty,id=charserial0");
        Path ctl = dir.resolve("ctl.sock");
        try (DaemonProcess d = start(
                "-machine",
                "none",
                "-nodefaults",
                "-S",
                "-chardev",
                "pty,id=charserial0",
                "-chardev",
                "socket,id=c,path=" + ctl + ",server=on,wait=off",
                "-mon",
                "chardev=c,mode=control")) {
            DaemonProcess.awaitFile(ctl, d);
            String said = d.stdout().lines().findFirst().orElse("");
            assertThat(said.replaceAll("/dev/pts/\\d+", "/dev/pts/N"))
                    .isEqualTo(qemuSays.replaceAll("/dev/pts/\\d+", "/dev/pts/N"))
                    .isEqualTo("char device redirected to /dev/pts/N (label charserial0)");
            String pty = said.replaceAll(".* to (\\S+) .*", "$1");
            assertThat(Path.of(pty)).exists();
            try (QmpTestClient c = QmpTestClient.connect(ctl).negotiate()) {
                assertThat(c.ask("{\"execute\": \"query-chardev\"}"))
                        .contains("\"filename\": \"pty:" + pty + "\", \"label\": \"charserial0\"");
                assertThat(c.ask("{\"execute\": \"human-monitor-command\", "
                                + "\"arguments\": {\"command-line\": \"chardev-add pty,id=h\"}}"))
                        .matches("\\{\"return\": \"char device redirected to /dev/pts/\\d+ \\(label h\\)\\\\r\\\\n\"}");
                assertThat(c.ask("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"charserial0\"}}"))
                        .isEqualTo("{\"return\": {}}");
                assertThat(Path.of(pty)).doesNotExist();
            }
        }
    }

    /** The first line QEMU 7.2 prints on stdout for {@code args}; QEMU is stopped after it. */
    private String qemuFirstLine(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("qemu-system-x86_64"));
        command.addAll(List.of(args));
        Process qemu = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        try (var out = new BufferedReader(new InputStreamReader(qemu.getInputStream(), StandardCharsets.UTF_8))) {
            return String.valueOf(out.readLine());
        } finally {
            qemu.destroy();
            qemu.waitFor();
        }
    }

    @Test
    void aMonWithoutIdBeforeQmpAndMonitorOptionsStartsWithAllOfThem() throws Exception {
        Path ctl = dir.resolve("ctl.sock");
        try (DaemonProcess d = start(
                "-machine",
                "none",
                "-nodefaults",
                "-chardev",
                "socket,id=c,path=" + ctl + ",server=on,wait=off",
                "-mon",
                "chardev=c,mode=control",
                "-qmp",
                "unix:" + dir.resolve("q.sock") + ",server=on,wait=off",
                "-monitor",
                "unix:" + dir.resolve("h.sock") + ",server=on,wait=off",
                "-object",
                "monitor-qmp,id=compat_monitor2,chardev=o",
                "-chardev",
                "socket,id=o,path=" + dir.resolve("o.sock") + ",server=on,wait=off")) {
            DaemonProcess.awaitFile(ctl, d);
            try (QmpTestClient c = QmpTestClient.connect(ctl).negotiate()) {
                String monitors;
                do { // the first monitor serves while the daemon still creates the others
                    monitors = c.ask("{\"execute\": \"query-monitors\"}");
                } while (!monitors.contains("compat_monitor2"));
                assertThat(monitors)
                        .contains(
                                "{\"chardev\": \"c\", \"mode\": \"control\", \"dynamic\": false}",
                                "\"id\": \"compat_monitor0\"",
                                "\"id\": \"compat_monitor1\"",
                                "\"id\": \"compat_monitor2\"");
                assertThat(c.ask("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/objects\"}}"))
                        .contains("compat_monitor3");
            }
        }
    }

    @Test
    void aSecondProcessOnTheSamePidfileIsRefusedBeforeItCreatesAnything() throws Exception {
        Path pid = dir.resolve("q.pid");
        try (DaemonProcess first = start(
                "-machine",
                "none",
                "-nodefaults",
                "-pidfile",
                pid.toString(),
                "-qmp",
                "unix:" + dir.resolve("first.sock") + ",server=on,wait=off")) {
            DaemonProcess.awaitFile(dir.resolve("first.sock"), first);
            assertThat(Files.readString(pid)).isEqualTo(first.process.pid() + "\n");
            try (DaemonProcess second = start(
                    "-machine",
                    "none",
                    "-nodefaults",
                    "-pidfile",
                    pid.toString(),
                    "-qmp",
                    "unix:" + dir.resolve("second.sock") + ",server=on,wait=off")) {
                assertThat(second.exitStatus()).isEqualTo(1);
                assertThat(second.stderr())
                        .isEqualTo(
                                "qmpd: cannot create PID file: Cannot lock pid file: Resource temporarily unavailable\n");
            }
            assertThat(dir.resolve("second.sock")).doesNotExist();
            assertThat(Files.readString(pid)).isEqualTo(first.process.pid() + "\n");
            try (QmpTestClient c =
                    QmpTestClient.connect(dir.resolve("first.sock")).negotiate()) {
                c.ask("{\"execute\": \"quit\"}");
            }
            assertThat(first.exitStatus()).isZero();
        }
        assertThat(pid).doesNotExist();
    }

    @Test
    void signalsQemuIgnoresLeaveQmpdServingAndStdoutClean() throws Exception {
        Path sock = dir.resolve("q.sock");
        try (DaemonProcess d = start(
                "-machine",
                "none",
                "-nodefaults",
                "-qmp",
                "unix:" + sock + ",server=on,wait=off",
                "-pidfile",
                dir.resolve("q.pid").toString())) {
            DaemonProcess.awaitFile(sock, d);
            try (QmpTestClient c = QmpTestClient.connect(sock).negotiate()) {
                for (String signal : Signals.IGNORED) {
                    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(d.process.pid())).start();
                    assertThat(kill.waitFor()).isZero();
                    assertThat(c.ask("{\"execute\": \"query-status\"}"))
                            .as("after SIG%s", signal)
                            .contains("\"status\": \"running\"");
                }
            }
            assertThat(d.stdout()).isEmpty();
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(d.process.pid()))
                            .start()
                            .waitFor())
                    .isZero();
            assertThat(d.exitStatus()).isZero();
        }
        assertThat(sock).doesNotExist();
        assertThat(dir.resolve("q.pid")).doesNotExist();
    }

    @Test
    void aDaemonWithoutDescriptorPassingRefusesToStart() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "-machine",
                "none",
                "-nodefaults",
                "-qmp",
                "unix:" + dir.resolve("q.sock") + ",server=on,wait=off"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(1);
        assertThat(out)
                .startsWith("qmpd: descriptor passing is unavailable (run qmpd with java -jar, or add "
                        + Daemonizer.ADD_OPENS + "): ");
        assertThat(dir.resolve("q.sock")).doesNotExist();
    }

    @Test
    void aDaemonizedQmpdReceivesDescriptorsThoughItsParentWasStartedWithoutTheJarsManifest() throws Exception {
        Path sock = dir.resolve("q.sock");
        Path pid = dir.resolve("q.pid");
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "-daemonize",
                "-machine",
                "none",
                "-nodefaults",
                "-qmp",
                "unix:" + sock + ",server=on,wait=off",
                "-pidfile",
                pid.toString());
        Process parent = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(parent.waitFor()).as(out).isZero();
        long child = Long.parseLong(Files.readString(pid).trim());
        try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(sock));
                FileInputStream passed = new FileInputStream("/dev/null")) {
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            var os = s.getOutputStream();
            assertThat(in.readLine()).startsWith("{\"QMP\": ");
            os.write("{\"execute\": \"qmp_capabilities\"}\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("{\"return\": {}}");
            s.setOutboundFileDescriptors(passed.getFD());
            os.write("{\"execute\": \"getfd\", \"arguments\": {\"fdname\": \"f\"}}\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("{\"return\": {}}");
            os.write("{\"execute\": \"quit\"}\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).contains("\"event\": \"SHUTDOWN\"");
            assertThat(in.readLine()).isEqualTo("{\"return\": {}}");
        } finally {
            ProcessHandle.of(child)
                    .ifPresent(h -> h.onExit().orTimeout(20, TimeUnit.SECONDS).join());
        }
    }

    @Test
    void aSocketDirectoryThatIsNotThisUsersAloneIsRefused() throws Exception {
        Path runtime = Files.createDirectory(dir.resolve("run"));
        Path qmpd = runtime.resolve("qmpd");
        Files.createDirectory(qmpd);
        Files.setPosixFilePermissions(qmpd, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertRefused(runtime, "mode rwxr-xr-x");
        Files.delete(qmpd);
        Files.createSymbolicLink(qmpd, Files.createDirectory(dir.resolve("elsewhere")));
        assertRefused(runtime, "not a directory");
        Files.delete(qmpd);
        Files.createDirectory(qmpd);
        Files.setPosixFilePermissions(qmpd, PosixFilePermissions.fromString("rwx------"));
        if (Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0)) { // root may give it away
            Files.setAttribute(qmpd, "unix:uid", 65534);
            assertRefused(runtime, "owner uid 65534");
        }
    }

    private void assertRefused(Path runtime, String why) throws Exception {
        try (DaemonProcess d = DaemonProcess.start(dir, Map.of("XDG_RUNTIME_DIR", runtime.toString()))) {
            assertThat(d.exitStatus()).isEqualTo(1);
            assertThat(d.stderr())
                    .startsWith("qmpd: cannot create a directory for the QMP socket: " + runtime.resolve("qmpd")
                            + " is not a private directory of this user (")
                    .contains(why);
        }
    }

    @Test
    void inheritedConnectedAndListeningSocketsServeMonitors() throws Exception {
        Path listening = dir.resolve("activated.sock");
        try (ServerSocketChannel peer = listener("peer.sock");
                DaemonProcess d = DaemonProcess.start(
                        dir,
                        Map.of(),
                        List.of(
                                "perl",
                                "-e",
                                DaemonProcess.INHERIT_SOCKETS,
                                dir.resolve("peer.sock").toString(),
                                listening.toString()),
                        List.of(),
                        "-machine",
                        "none",
                        "-nodefaults",
                        "-chardev",
                        "socket,id=c,fd=CONNECTED_FD",
                        "-mon",
                        "c,mode=control",
                        "-chardev",
                        "socket,id=l,fd=LISTENING_FD,server=on,wait=off",
                        "-mon",
                        "l,mode=control")) {
            try (SocketChannel connected = peer.accept()) {
                assertThat(firstLine(connected)).as("stderr: %s", d.stderr()).startsWith("{\"QMP\": {\"version\": ");
            }
            try (QmpTestClient c = QmpTestClient.connect(listening).negotiate()) {
                assertThat(c.ask("{\"execute\": \"query-status\"}")).contains("\"running\"");
            }
        }
    }

    @Test
    void anFdThatIsNotAnInheritedSocketIsRefusedInQemusWords() throws Exception {
        for (String[] fdAndWhy : new String[][] {
            {"x", "Unable to parse FD number x"},
            {"0", "File descriptor '0' is not a socket"},
            {"999", "File descriptor '999' is not a socket"}
        }) {
            try (DaemonProcess d =
                    start("-machine", "none", "-nodefaults", "-chardev", "socket,id=c,fd=" + fdAndWhy[0])) {
                assertThat(d.exitStatus()).isEqualTo(1);
                assertThat(d.stderr())
                        .isEqualTo("qmpd: -chardev socket,id=c,fd=" + fdAndWhy[0] + ": " + fdAndWhy[1] + "\n");
            }
        }
    }

    @Test
    void aClientModeSocketWithWaitIsRefusedInQemusWords() throws Exception {
        try (DaemonProcess d = start(
                "-machine",
                "none",
                "-nodefaults",
                "-chardev",
                "socket,id=c,path=" + dir.resolve("x.sock") + ",wait=off")) {
            assertThat(d.exitStatus()).isEqualTo(1);
            assertThat(d.stderr().strip()).endsWith("'wait' option is incompatible with socket in client connect mode");
        }
    }
}
