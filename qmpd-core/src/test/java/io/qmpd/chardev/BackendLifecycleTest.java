package io.qmpd.chardev;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmpd.io.EventLoop;
import io.qmpd.qapi.QmpException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When each backend opens and closes, as its frontend sees it: {@code null} never opens;
 * {@code ringbuf}, {@code file}, {@code pipe} and {@code stdio} are open from creation (a
 * frontend attaching later gets a synthesized {@code opened}); a {@code pty} is open while its
 * slave is; a socket client with
 * {@code reconnect-ms} dials again after the server drops it.
 */
class BackendLifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private EventLoop loop;
    private Chardev chardev;
    private final RecordingFrontend fe = new RecordingFrontend();

    @BeforeEach
    void startLoop() {
        loop = new EventLoop("qmpd-io-test");
    }

    @AfterEach
    void stop() {
        if (chardev != null) {
            chardev.close();
        }
        loop.close();
    }

    private Chardev create(String backendJson) throws Exception {
        JsonNode backend = JSON.readTree(backendJson);
        chardev = ChardevBackends.BUILTIN.create("c0", backend, TestChardev.context(loop));
        return chardev;
    }

    @Test
    void null_never_opens_and_discards_output() throws Exception {
        create("{\"type\": \"null\", \"data\": {}}");
        chardev.attach(fe);
        chardev.write("lost".getBytes(US_ASCII));
        RecordingFrontend.drain(chardev);
        assertThat(chardev.isOpen()).isFalse();
        assertThat(fe.events)
                .as("a null chardev never tells its frontend anything")
                .isEmpty();
    }

    @Test
    void ringbuf_is_open_from_creation() throws Exception {
        create("{\"type\": \"ringbuf\", \"data\": {\"size\": 64}}");
        assertThat(chardev.isOpen()).isTrue();
        chardev.attach(fe);
        assertThat(fe.next()).isEqualTo("opened");
        chardev.write("kept".getBytes(US_ASCII));
        assertThat(((RingbufChardev) chardev).read(10)).isEqualTo("kept".getBytes(US_ASCII));
    }

    @Test
    void file_is_open_from_creation_writes_out_and_reads_in() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "from file");
        Path out = dir.resolve("out.txt");
        create("{\"type\": \"file\", \"data\": {\"in\": \"" + in + "\", \"out\": \"" + out + "\"}}");
        assertThat(Files.exists(out)).as("out is created at once").isTrue();
        chardev.attach(fe);
        assertThat(fe.next()).isEqualTo("opened");
        assertThat(fe.receivedText(9)).isEqualTo("from file");
        chardev.write("to file".getBytes(US_ASCII));
        assertThat(Files.readString(out)).isEqualTo("to file");
        chardev.close();
        assertThat(fe.events)
                .as("closing a file chardev does not fake a hang-up")
                .isEmpty();
    }

    @Test
    void file_that_cannot_be_opened_fails_with_qemus_text() {
        Path out = dir.resolve("no/such/dir/out");
        assertThatThrownBy(() -> create("{\"type\": \"file\", \"data\": {\"out\": \"" + out + "\"}}"))
                .isInstanceOf(QmpException.class)
                .hasMessage("Could not open '" + out + "': No such file or directory");
    }

    @Test
    void pipe_uses_path_in_and_path_out_and_is_open_from_creation() throws Exception {
        Path base = dir.resolve("p");
        Files.writeString(dir.resolve("p.in"), "piped");
        Files.createFile(dir.resolve("p.out"));
        create("{\"type\": \"pipe\", \"data\": {\"device\": \"" + base + "\"}}");
        chardev.attach(fe);
        assertThat(fe.next()).isEqualTo("opened");
        assertThat(fe.receivedText(5)).isEqualTo("piped");
        chardev.write("back".getBytes(US_ASCII));
        assertThat(Files.readString(dir.resolve("p.out"))).isEqualTo("back");
    }

    @Test
    void stdio_is_open_from_creation() throws Exception {
        // The process's real stdin belongs to the test runner, so the stdio stream chardev is
        // built on a pipe here; ChardevBackends hands it FileDescriptor.in/out the same way.
        PipedOutputStream typed = new PipedOutputStream();
        InputStream stdin = new PipedInputStream(typed);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        chardev = new StreamChardev("c0", loop, "stdio", stdout, stdin, false);
        chardev.attach(fe);
        assertThat(fe.next()).isEqualTo("opened");
        typed.write("typed".getBytes(US_ASCII));
        typed.flush();
        assertThat(fe.receivedText(5)).isEqualTo("typed");
        chardev.write("shown".getBytes(US_ASCII));
        assertThat(stdout.toString(US_ASCII)).isEqualTo("shown");
        assertThat(chardev.filename()).isEqualTo("stdio");
        typed.close();
    }

    @Test
    void pty_opens_when_its_slave_is_opened_passes_bytes_raw_and_closes_when_it_is_left() throws Exception {
        create("{\"type\": \"pty\", \"data\": {}}");
        String slave = ((PtyChardev) chardev).path();
        assertThat(slave).matches("/dev/pts/\\d+");
        assertThat(chardev.filename()).isEqualTo("pty:" + slave);
        chardev.attach(fe);
        chardev.write("lost: nobody has the slave open".getBytes(US_ASCII));
        assertThat(chardev.isOpen()).isFalse();
        try (FileChannel terminal =
                FileChannel.open(Path.of(slave), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertThat(fe.next()).isEqualTo("opened");
            terminal.write(ByteBuffer.wrap("typed\n".getBytes(US_ASCII)));
            assertThat(fe.receivedText(6)).isEqualTo("typed\n");
            chardev.write("shown\n".getBytes(US_ASCII));
            ByteBuffer shown = ByteBuffer.allocate(6);
            while (shown.hasRemaining()) {
                terminal.read(shown);
            }
            assertThat(new String(shown.array(), US_ASCII))
                    .as("raw: no echo, no CR added")
                    .isEqualTo("shown\n");
        }
        assertThat(fe.next()).isEqualTo("closed");
        chardev.close();
        chardev = null;
        assertThat(Files.exists(Path.of(slave)))
                .as("the pty is gone with its chardev")
                .isFalse();
    }

    @Test
    void socket_client_with_reconnect_dials_again_after_the_server_drops_it() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            create(
                    "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"inet\", \"data\": {\"host\": \"127.0.0.1\","
                            + " \"port\": \"" + server.getLocalPort()
                            + "\"}}, \"server\": false, \"reconnect-ms\": 20}}");
            chardev.attach(fe);
            try (Socket first = server.accept()) {
                assertThat(fe.next()).isEqualTo("opened");
                first.getOutputStream().write("one".getBytes(US_ASCII));
                assertThat(fe.receivedText(3)).isEqualTo("one");
            }
            assertThat(fe.next()).as("the server dropped the client").isEqualTo("closed");
            assertThat(chardev.filename()).isEqualTo("disconnected:tcp:127.0.0.1:" + server.getLocalPort());
            try (Socket second = server.accept()) {
                assertThat(fe.next()).as("reconnected").isEqualTo("opened");
                chardev.write("two".getBytes(US_ASCII));
                assertThat(new String(second.getInputStream().readNBytes(3), US_ASCII))
                        .isEqualTo("two");
            }
            assertThat(fe.next()).isEqualTo("closed");
        }
    }

    @Test
    void socket_client_without_reconnect_fails_at_once_when_nobody_listens() {
        Path missing = dir.resolve("nobody.sock");
        assertThatThrownBy(() -> create("{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\":"
                        + " {\"path\": \"" + missing + "\"}}, \"server\": false}}"))
                .isInstanceOf(QmpException.class)
                .hasMessage("Failed to connect to '" + missing + "': No such file or directory");
    }
}
