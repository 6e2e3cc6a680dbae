package io.qmpd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.qmpd.chardev.SocketAddress;
import io.qmpd.chardev.SocketChardev;
import io.qmpd.chardev.TestChardev;
import io.qmpd.hmp.RecordedHmpSession;
import io.qmpd.machine.MachineBackend;
import io.qmpd.machine.SimulatedMachine;
import io.qmpd.monitor.MonitorMode;
import io.qmpd.qapi.QmpException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HMP end to end: a readline monitor on a real unix socket, and {@code human-monitor-command}
 * through a QMP session, against QEMU 7.2's recorded bytes (the server claims the recorded
 * version, so greetings and {@code info version} match exactly).
 */
class HmpServerTest {

    private static final Instant NOW = Instant.ofEpochSecond(1_795_618_075L, 516_145_000L);

    @TempDir
    Path dir;

    private QmpServer server;

    @BeforeEach
    void start() {
        server = QmpServer.builder()
                .version(RecordedHmpSession.QEMU_72)
                .backend(MachineBackend.simulated(new SimulatedMachine.Config(
                        true,
                        null,
                        SimulatedMachine.NIL_UUID,
                        0,
                        false,
                        SimulatedMachine.Config.DEFAULT_POWERDOWN_DELAY)))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SocketChannel hmpClient(String id) throws IOException {
        Path sock = dir.resolve(id + ".sock");
        SocketChardev chr =
                SocketChardev.listen(id, ServerInternals.loop(server), new SocketAddress.Unix(sock), false, false);
        server.addChardev(chr);
        server.addHmpMonitor("mon-" + id, id, false);
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(sock));
        ch.configureBlocking(false);
        return ch;
    }

    /** An HMP client on a new socket chardev {@code id}, past the greeting and first prompt (asserted). */
    private SocketChannel greetedHmpClient(String id) throws IOException {
        SocketChannel ch = hmpClient(id);
        String greeting = "QEMU 7.2.22 monitor - type 'help' for more information\r\n(qemu) ";
        assertThat(read(ch, greeting.length())).isEqualTo(greeting);
        return ch;
    }

    /** Reads exactly {@code n} bytes (as ISO-8859-1 text), failing after 5 s. */
    private static String read(SocketChannel ch, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        long deadline = System.nanoTime() + 5_000_000_000L;
        try (Selector sel = Selector.open()) {
            ch.register(sel, SelectionKey.OP_READ);
            while (buf.hasRemaining()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                assertThat(left)
                        .as(
                                "bytes within 5 s; got %s",
                                new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1))
                        .isPositive();
                sel.select(left);
                sel.selectedKeys().clear();
                if (ch.read(buf) < 0) {
                    break;
                }
            }
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
    }

    private static void send(SocketChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** A machine started with -S, run and paused again: {@code paused}, no longer {@code prelaunch}. */
    private void pause() {
        for (String command : List.of("cont", "stop")) {
            assertThat(server.execute(JsonNodeFactory.instance.objectNode().put("execute", command))
                            .has("return"))
                    .isTrue();
        }
    }

    @Test
    void case122EscapeSequencesOverARealSocket() throws Exception {
        RecordedHmpSession rec = RecordedHmpSession.load("122");
        try (SocketChannel ch = hmpClient("hmp0")) {
            for (byte[] s : rec.sends()) {
                send(ch, s);
            }
            String expected = rec.receivedText();
            assertThat(read(ch, expected.length())).isEqualTo(expected);
        }
    }

    @Test
    void case121UpToInfoChardevOverARealSocket() throws Exception {
        RecordedHmpSession rec = RecordedHmpSession.load("121");
        pause();
        String all = rec.receivedText();
        int end = 0;
        for (int i = 0; i < 6; i++) {
            end = all.indexOf("(qemu) ", end) + 7;
        }
        try (SocketChannel ch = hmpClient("hmp0")) {
            for (byte[] s : rec.sends().subList(0, 4)) {
                send(ch, s);
            }
            assertThat(read(ch, end)).isEqualTo(all.substring(0, end));
        }
    }

    @Test
    void aLongLineTypedAtOnceIsEchoedWholeThoughItsEchoIsOverTheOutputLimit() throws Exception {
        int n = 2100;
        // readline redraws the line after each byte: k-1 cursor moves back, k bytes, ESC[K;
        // 2n(n+1) bytes in all, past the 8 MiB a client may leave unread
        long echo = 2L * n * (n + 1);
        assertThat(echo).isGreaterThan(SocketChardev.DEFAULT_OUTPUT_LIMIT);
        try (SocketChannel ch = greetedHmpClient("hmp0")) {
            send(ch, "a".repeat(n).getBytes(StandardCharsets.US_ASCII));
            String got = read(ch, (int) echo);
            assertThat(got).hasSize((int) echo).endsWith("\033[D" + "a".repeat(n) + "\033[K");
            send(ch, "\025".getBytes(StandardCharsets.US_ASCII)); // still served: ^U is ignored, nothing echoed
            send(ch, "\033[D".getBytes(StandardCharsets.US_ASCII));
            assertThat(read(ch, 3)).isEqualTo("\033[D");
        }
    }

    @Test
    void quitOverHmpEndsTheServerWithoutAnotherPrompt() throws Exception {
        try (SocketChannel ch = greetedHmpClient("hmp0")) {
            send(ch, "q\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(read(ch, "q\033[K\r\n".length())).isEqualTo("q\033[K\r\n");
            server.quitFuture().get(5, TimeUnit.SECONDS);
            assertThat(read(ch, 1)).isEmpty(); // EOF, no prompt
        }
    }

    @Test
    void hmpMonitorsAreListedAndRefuseABusyOrMissingChardev() throws Exception {
        try (SocketChannel ch = hmpClient("hmp0")) {
            assertThat(server.monitors())
                    .singleElement()
                    .satisfies(m -> assertThat(m.mode()).isEqualTo(MonitorMode.readline));
            assertThatThrownBy(() -> server.addHmpMonitor(null, "hmp0", false))
                    .isInstanceOf(QmpException.class)
                    .hasMessageContaining("chardev 'hmp0' is already in use");
            assertThatThrownBy(() -> server.addHmpMonitor(null, "nope", false))
                    .isInstanceOf(QmpException.class)
                    .hasMessageContaining("chardev \"nope\" not found");
        }
    }

    // ---- human-monitor-command ----

    private TestChardev qmpClient() {
        TestChardev chr = new TestChardev("qmp0", ServerInternals.loop(server), true);
        server.addChardev(chr);
        server.addQmpMonitor("mon0", "qmp0", false, false);
        chr.connect();
        chr.next();
        chr.send("{\"execute\": \"qmp_capabilities\"}\n");
        assertThat(chr.next()).isEqualTo("{\"return\": {}}\r\n");
        return chr;
    }

    private static String hmp(String line) {
        return "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"" + line + "\"}}\n";
    }

    @Test
    void case111RecordedRepliesOfHumanMonitorCommand() throws Exception {
        RecordedHmpSession rec = RecordedHmpSession.load("111");
        TestChardev qmp = qmpClient();
        // sends[0] is the negotiation; then version, nosuchcmd, "", info, chardev-remove, cpu-index, status.
        int[] checked = {1, 2, 3, 5, 6, 7};
        for (int i : checked) {
            qmp.send(rec.sends().get(i));
            assertThat(qmp.next()).isEqualTo(rec.received().get(i + 1));
        }
    }

    @Test
    void case113EventsOfTheLineComeBeforeItsReply() throws Exception {
        RecordedHmpSession rec = RecordedHmpSession.load("113");
        TestChardev qmp = qmpClient();
        for (int i = 1; i < rec.sends().size(); i++) {
            qmp.send(rec.sends().get(i));
        }
        List<String> got = new ArrayList<>();
        for (int i = 2; i < rec.received().size(); i++) {
            got.add(qmp.next().replaceAll("\"seconds\": \\d+, \"microseconds\": \\d+", "T"));
        }
        List<String> want = rec.received().subList(2, rec.received().size()).stream()
                .map(s -> s.replaceAll("\"seconds\": \\d+, \"microseconds\": \\d+", "T"))
                .toList();
        assertThat(got).isEqualTo(want);
    }

    @Test
    void helpInfoAndInfoStatusText() {
        TestChardev qmp = qmpClient();
        qmp.send(hmp("help"));
        assertThat(qmp.next())
                .isEqualTo("{\"return\": \""
                        + "chardev-add args -- add chardev\\r\\n"
                        + "chardev-remove id -- remove chardev\\r\\n"
                        + "cont|c  -- resume emulation\\r\\n"
                        + "help|? [cmd] -- show the help\\r\\n"
                        + "info [subcommand] -- show various information about the system state\\r\\n"
                        + "quit|q  -- quit the emulator\\r\\n"
                        + "stop|s  -- stop emulation\\r\\nsystem_powerdown  -- send system power down event\\r\\n"
                        + "system_reset  -- reset the system\\r\\n\"}\r\n");
        qmp.send(hmp("info"));
        assertThat(qmp.next())
                .isEqualTo("{\"return\": \""
                        + "info chardev  -- show the character devices\\r\\n"
                        + "info history  -- show the command line history\\r\\n"
                        + "info monitors  -- show the monitors\\r\\n"
                        + "info name  -- show the current VM name\\r\\n"
                        + "info status  -- show the current VM status (running|paused)\\r\\n"
                        + "info uuid  -- show the current VM UUID\\r\\n"
                        + "info version  -- show the version of QEMU\\r\\n\"}\r\n");
        qmp.send(hmp("help info status"));
        assertThat(qmp.next())
                .isEqualTo("{\"return\": \"info status  -- show the current VM status (running|paused)\\r\\n\"}\r\n");
        qmp.send(hmp("help nope x"));
        assertThat(qmp.next()).isEqualTo("{\"return\": \"unknown command: 'nope'\\r\\n\"}\r\n");
        qmp.send(hmp("info nope"));
        assertThat(qmp.next()).isEqualTo("{\"return\": \"unknown command: 'info nope'\\r\\n\"}\r\n");
        qmp.send(hmp("stop now"));
        assertThat(qmp.next())
                .isEqualTo("{\"return\": \"stop|s: extraneous characters at the end of line\\r\\n"
                        + "Try \\\"help stop\\\" for more information\\r\\n\"}\r\n");
        qmp.send(hmp("info uuid"));
        assertThat(qmp.next()).isEqualTo("{\"return\": \"00000000-0000-0000-0000-000000000000\\r\\n\"}\r\n");
        qmp.send(hmp("info name"));
        assertThat(qmp.next()).isEqualTo("{\"return\": \"\"}\r\n");
        qmp.send(hmp("c"));
        assertThat(qmp.next()).startsWith("{\"timestamp\"");
        assertThat(qmp.next()).isEqualTo("{\"return\": \"\"}\r\n");
        qmp.send(hmp("info status"));
        assertThat(qmp.next()).isEqualTo("{\"return\": \"VM status: running\\r\\n\"}\r\n");
    }

    @Test
    void anHmpMonitorGetsNoEventsAndItsStopReachesQmpMonitors() throws Exception {
        TestChardev qmp = qmpClient();
        try (SocketChannel ch = greetedHmpClient("hmp0")) {
            send(ch, "cont\r".getBytes(StandardCharsets.US_ASCII));
            String echo = "c\033[K\033[Dco\033[K\033[D\033[Dcon\033[K\033[D\033[D\033[Dcont\033[K\r\n(qemu) ";
            assertThat(read(ch, echo.length())).isEqualTo(echo);
            assertThat(qmp.next()).contains("\"event\": \"RESUME\"");
            send(ch, "info status\r".getBytes(StandardCharsets.US_ASCII));
            String want = echo("info status") + "\r\nVM status: running\r\n(qemu) ";
            String out = read(ch, want.length());
            assertThat(out).isEqualTo(want);
        }
    }

    // ---- chardev-add ----

    /**
     * Lines around chardev-add and the output QEMU's hmp_chardev_add gives for each;
     * {@code chardevs} is what {@code info chardev} shows before the first line.
     */
    private List<String[]> chardevAddLines(String id, String chardevs) {
        Path sock = dir.resolve(id + ".sock");
        return List.of(
                new String[] {"chardev-add socket,id=" + id + ",path=" + sock + ",server=on,wait=off", ""},
                new String[] {"info chardev", chardevs + id + ": filename=disconnected:unix:" + sock + ",server=on\n"},
                new String[] {
                    "chardev-add socket,id=" + id + "b,path=" + sock + "b,nosuch=1",
                    "Invalid parameter 'nosuch'\nError: Parsing chardev args failed\n"
                },
                new String[] {
                    "chardev-add socket,id=" + id + "b,server=maybe",
                    "Parameter 'server' expects 'on' or 'off'\nError: Parsing chardev args failed\n"
                },
                new String[] {
                    "chardev-add socket,id=" + id + "b",
                    "Error: None or one of 'path', 'fd' or 'host' option required.\n"
                },
                new String[] {"chardev-add null,id=" + id + "n", ""},
                new String[] {
                    "chardev-add null,id=" + id + "n",
                    "Error: attempt to add duplicate property '" + id + "n' to object (type 'container')\n"
                },
                new String[] {"chardev-add null", "Error: chardev: no id specified\n"},
                new String[] {"chardev-add nosuch,id=" + id + "c", "Error: 'nosuch' is not a valid char driver name\n"},
                new String[] {
                    "chardev-add file,id=" + id + "f,path=" + dir.resolve("no/such/dir/f"),
                    "Error: Could not open '" + dir.resolve("no/such/dir/f") + "': No such file or directory\n"
                },
                new String[] {
                    "chardev-add", "chardev-add: string expected\nTry \"help chardev-add\" for more information\n"
                },
                new String[] {"help chardev-add", "chardev-add args -- add chardev\n"});
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\r\\n");
    }

    @Test
    void chardevAddOverHumanMonitorCommand() throws Exception {
        TestChardev qmp = qmpClient();
        for (String[] line : chardevAddLines("h0", "qmp0: filename=test\n")) {
            qmp.send(hmp(json(line[0])));
            assertThat(qmp.next()).as(line[0]).isEqualTo("{\"return\": \"" + json(line[1]) + "\"}\r\n");
        }
        assertListens(dir.resolve("h0.sock"));
    }

    @Test
    void chardevAddOverAnHmpSocket() throws Exception {
        try (SocketChannel ch = greetedHmpClient("hmp0")) {
            String hmp0 = "hmp0: filename=unix:" + dir.resolve("hmp0.sock") + ",server=on\n";
            for (String[] line : chardevAddLines("s0", hmp0)) {
                send(ch, (line[0] + "\r").getBytes(StandardCharsets.UTF_8));
                String want = echo(line[0]) + "\r\n" + line[1].replace("\n", "\r\n") + "(qemu) ";
                assertThat(read(ch, want.length())).as(line[0]).isEqualTo(want);
            }
            assertListens(dir.resolve("s0.sock"));
        }
    }

    @Test
    void tabCompletesTheBackendOfChardevAdd() throws Exception {
        try (SocketChannel ch = greetedHmpClient("hmp0")) {
            send(ch, "chardev-add ri\t\r".getBytes(StandardCharsets.US_ASCII));
            String typed = echo("chardev-add ri");
            String completed = "\033[D".repeat("chardev-add ri".length()) + "chardev-add ringbuf \033[K";
            String want = typed + completed + "\r\nError: chardev: no id specified\r\n(qemu) ";
            assertThat(read(ch, want.length())).isEqualTo(want);
        }
    }

    /** What readline echoes while {@code line} is typed one character at a time. */
    private static String echo(String line) {
        StringBuilder echoed = new StringBuilder();
        for (int k = 1; k <= line.length(); k++) {
            echoed.append("\033[D".repeat(k - 1)).append(line, 0, k).append("\033[K");
        }
        return echoed.toString();
    }

    private static void assertListens(Path sock) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            assertThat(c.connect(UnixDomainSocketAddress.of(sock))).isTrue();
        }
    }
}
