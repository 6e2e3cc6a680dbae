package io.qmpd.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.chardev.TestChardev;
import io.qmpd.server.TestServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chardev commands over a real monitor, with QEMU 7.2's recorded bytes. */
class ChardevCommandsTest {

    @TempDir
    Path dir;

    private static String ask(TestChardev c, String request) {
        c.send(request + "\n");
        return c.next();
    }

    @Test
    void a_client_socket_refuses_wait_whatever_its_value_as_qemu_does() {
        try (TestServer t = new TestServer()) {
            TestChardev c = t.negotiated("mon", false);
            for (String wait : new String[] {"true", "false"}) {
                assertThat(ask(
                                c,
                                "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"cl\", \"backend\": "
                                        + "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": "
                                        + "\"/nonexistent/x.sock\"}}, \"server\": false, \"wait\": " + wait + "}}}}"))
                        .isEqualTo(
                                "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Failed to add chardev 'cl': 'wait' option is "
                                        + "incompatible with socket in client connect mode\"}}\r\n");
            }
        }
    }

    @Test
    void null_ringbuf_and_memory_as_recorded() {
        try (TestServer t = new TestServer()) {
            TestChardev c = t.negotiated("mon", false);
            assertThat(
                            ask(
                                    c,
                                    "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"cnull\", \"backend\": {\"type\": \"null\", \"data\": {}}}}"))
                    .isEqualTo("{\"return\": {}}\r\n");
            assertThat(
                            ask(
                                    c,
                                    "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"cring\", \"backend\": {\"type\": \"ringbuf\", \"data\": {\"size\": 1024}}}}"))
                    .isEqualTo("{\"return\": {}}\r\n");
            assertThat(
                            ask(
                                    c,
                                    "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"cring3\", \"backend\": {\"type\": \"ringbuf\", \"data\": {\"size\": 1000}}}}"))
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Failed to add chardev 'cring3': size of ringbuf chardev must be power of two\"}}\r\n");
            assertThat(
                            ask(
                                    c,
                                    "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"cmem\", \"backend\": {\"type\": \"memory\", \"data\": {\"size\": 64}}}}"))
                    .isEqualTo("{\"return\": {}}\r\n");
            assertThat(
                            ask(
                                    c,
                                    "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"cnull\", \"backend\": {\"type\": \"null\", \"data\": {}}}}"))
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Chardev with id 'cnull' already exists\"}}\r\n");
            // case 090
            assertThat(
                            ask(
                                    c,
                                    "{\"execute\": \"ringbuf-write\", \"arguments\": {\"device\": \"cring\", \"data\": \"hello\\n\"}}"))
                    .isEqualTo("{\"return\": {}}\r\n");
            assertThat(ask(c, "{\"execute\": \"ringbuf-read\", \"arguments\": {\"device\": \"cring\", \"size\": 100}}"))
                    .isEqualTo("{\"return\": \"hello\\n\"}\r\n");
            assertThat(
                            ask(
                                    c,
                                    "{\"execute\": \"ringbuf-write\", \"arguments\": {\"device\": \"cring\", \"data\": \"aGk=\", \"format\": \"base64\"}}"))
                    .isEqualTo("{\"return\": {}}\r\n");
            assertThat(
                            ask(
                                    c,
                                    "{\"execute\": \"ringbuf-read\", \"arguments\": {\"device\": \"cring\", \"size\": 100, \"format\": \"base64\"}}"))
                    .isEqualTo("{\"return\": \"aGk=\"}\r\n");
            assertThat(ask(c, "{\"execute\": \"ringbuf-read\", \"arguments\": {\"device\": \"cnull\", \"size\": 1}}"))
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"cnull is not a ringbuf device\"}}\r\n");
            assertThat(ask(c, "{\"execute\": \"ringbuf-read\", \"arguments\": {\"device\": \"nope\", \"size\": 1}}"))
                    .isEqualTo("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Device 'nope' not found\"}}\r\n");
            // a full ring keeps the newest bytes
            ask(
                    c,
                    "{\"execute\": \"ringbuf-write\", \"arguments\": {\"device\": \"cmem\", \"data\": \""
                            + "x".repeat(60) + "0123456789\"}}");
            assertThat(ask(c, "{\"execute\": \"ringbuf-read\", \"arguments\": {\"device\": \"cmem\", \"size\": 1000}}"))
                    .isEqualTo("{\"return\": \"" + "x".repeat(54) + "0123456789\"}\r\n");
            assertThat(ask(c, "{\"execute\": \"query-chardev\"}"))
                    .isEqualTo(
                            "{\"return\": ["
                                    + "{\"frontend-open\": false, \"filename\": \"ringbuf\", \"label\": \"cring\"}, "
                                    + "{\"frontend-open\": false, \"filename\": \"null\", \"label\": \"cnull\"}, "
                                    + "{\"frontend-open\": true, \"filename\": \"test\", \"label\": \"mon\"}, "
                                    + "{\"frontend-open\": false, \"filename\": \"memory\", \"label\": \"cmem\"}]}\r\n"); // GLib order
            assertThat(ask(c, "{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"mon\"}}"))
                    .isEqualTo("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Chardev 'mon' is busy\"}}\r\n");
            assertThat(ask(c, "{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"cnull\"}}"))
                    .isEqualTo("{\"return\": {}}\r\n");
            assertThat(ask(c, "{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"cnull\"}}"))
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Chardev 'cnull' not found\"}}\r\n");
            assertThat(
                            ask(
                                    c,
                                    "{\"execute\": \"chardev-change\", \"arguments\": {\"id\": \"mon\", \"backend\": {\"type\": \"null\", \"data\": {}}}}"))
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Chardev user does not support chardev hotswap\"}}\r\n");
            assertThat(
                            ask(
                                    c,
                                    "{\"execute\": \"chardev-change\", \"arguments\": {\"id\": \"cring\", \"backend\": {\"type\": \"null\", \"data\": {}}}}"))
                    .isEqualTo("{\"return\": {}}\r\n");
            assertThat(ask(c, "{\"execute\": \"chardev-send-break\", \"arguments\": {\"id\": \"nope\"}}"))
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Chardev 'nope' not found\"}}\r\n");
            assertThat(ask(c, "{\"execute\": \"query-chardev-backends\"}"))
                    .isEqualTo("{\"return\": [{\"name\": \"pty\"}, {\"name\": \"file\"}, "
                            + "{\"name\": \"memory\"}, {\"name\": \"socket\"}, {\"name\": \"null\"}, {\"name\": \"pipe\"}, "
                            + "{\"name\": \"ringbuf\"}, {\"name\": \"stdio\"}]}\r\n");
        }
    }

    @Test
    void getfd_and_closefd_without_descriptors_as_recorded() {
        try (TestServer t = new TestServer()) {
            TestChardev c = t.negotiated("mon", false);
            assertThat(ask(c, "{\"execute\": \"getfd\", \"arguments\": {\"fdname\": \"x\"}}"))
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"No file descriptor supplied via SCM_RIGHTS\"}}\r\n");
            assertThat(ask(c, "{\"execute\": \"closefd\", \"arguments\": {\"fdname\": \"x\"}}"))
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"File descriptor named 'x' not found\"}}\r\n");
        }
    }

    @Test
    void file_and_socket_failures_leave_nothing_behind() throws Exception {
        try (TestServer t = new TestServer()) {
            TestChardev c = t.negotiated("mon", false);
            Path out = dir.resolve("cfile.out");
            assertThat(ask(
                            c,
                            "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"cfile\", \"backend\": {\"type\": \"file\", \"data\": {\"out\": \""
                                    + out + "\"}}}}"))
                    .isEqualTo("{\"return\": {}}\r\n");
            assertThat(out).exists();
            assertThat(
                            ask(
                                    c,
                                    "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"cfile2\", \"backend\": {\"type\": \"file\", \"data\": {\"out\": \"/nonexistent-dir/x.out\"}}}}"))
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Failed to add chardev 'cfile2': Could not open '/nonexistent-dir/x.out': No such file or directory\"}}\r\n");
            Path missing = dir.resolve("does-not-exist.sock");
            assertThat(ask(
                            c,
                            "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"cclient\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \""
                                    + missing + "\"}}, \"server\": false}}}}"))
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Failed to add chardev 'cclient': Failed to connect to '"
                                    + missing + "': No such file or directory\"}}\r\n");
            Path badDir = dir.resolve("no-such-dir/s.sock");
            assertThat(ask(
                            c,
                            "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"cbad\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \""
                                    + badDir + "\"}}, \"server\": true}}}}"))
                    .startsWith(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Failed to add chardev 'cbad': Failed to bind socket to "
                                    + badDir + ": ");
            assertThat(badDir).doesNotExist();
            try (ServerSocket taken = new ServerSocket()) {
                taken.bind(new InetSocketAddress("127.0.0.1", 0));
                int port = taken.getLocalPort();
                assertThat(ask(
                                c,
                                "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"ctcp\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"inet\", \"data\": {\"host\": \"127.0.0.1\", \"port\": \""
                                        + port + "\"}}, \"server\": true}}}}"))
                        .startsWith(
                                "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Failed to add chardev 'ctcp': Failed to bind socket: ");
            }
            Path sock = dir.resolve("csock.sock");
            assertThat(ask(
                            c,
                            "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"csock\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \""
                                    + sock + "\"}}, \"server\": true, \"wait\": true}}}}"))
                    .isEqualTo("{\"return\": {}}\r\n"); // wait: true never blocks the dispatcher
            assertThat(ask(c, "{\"execute\": \"query-chardev\"}"))
                    .contains("{\"frontend-open\": false, \"filename\": \"disconnected:unix:" + sock
                            + ",server=on\", \"label\": \"csock\"}")
                    .doesNotContain("cclient")
                    .doesNotContain("cbad")
                    .doesNotContain("ctcp")
                    .doesNotContain("cfile2");
            assertThat(Files.exists(sock)).isTrue();
            assertThat(ask(c, "{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"csock\"}}"))
                    .isEqualTo("{\"return\": {}}\r\n");
            assertThat(sock).doesNotExist();
            assertThat(ask(
                            c,
                            "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"x\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \""
                                    + sock + "\"}}, \"server\": true, \"reconnect\": 1}}}}"))
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Failed to add chardev 'x': 'reconnect' option is incompatible with socket in server listen mode\"}}\r\n");
            assertThat(sock).doesNotExist();
        }
    }
}
