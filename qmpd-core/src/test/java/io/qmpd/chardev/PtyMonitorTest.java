package io.qmpd.chardev;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.server.QmpServer;
import io.qmpd.testing.NothingLeaks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A QMP monitor on a {@code pty} chardev added with {@code chardev-add}: it greets whoever opens
 * the terminal, answers there, and once the chardev is removed no pty descriptor is left.
 */
@ExtendWith(NothingLeaks.class)
class PtyMonitorTest {

    private static ObjectNode chardevAdd(String id) {
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("execute", "chardev-add");
        ObjectNode args = request.putObject("arguments").put("id", id);
        args.putObject("backend").put("type", "pty").putObject("data");
        return request;
    }

    private static long ptyDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            String target = Files.readSymbolicLink(fd).toString();
                            return target.equals("/dev/ptmx") || target.startsWith("/dev/pts/");
                        } catch (IOException gone) {
                            return false;
                        }
                    })
                    .count();
        }
    }

    /** Reads from the terminal until a whole line ending in CR LF has come (bounded by the test timeout). */
    private static String line(FileChannel terminal) throws IOException {
        StringBuilder got = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!got.toString().endsWith("\r\n")) {
            one.clear();
            if (terminal.read(one) > 0) {
                got.append((char) one.get(0));
            }
        }
        return got.toString();
    }

    @Test
    void a_monitor_on_a_pty_greets_the_terminal_that_opens_it_and_leaves_nothing_behind() throws Exception {
        long before = ptyDescriptors();
        try (QmpServer server = QmpServer.builder().build().start()) {
            String pty = server.execute(chardevAdd("console"))
                    .path("return")
                    .path("pty")
                    .asText();
            assertThat(pty).matches("/dev/pts/\\d+");
            server.addQmpMonitor("mon", "console", false, true);
            try (FileChannel terminal =
                    FileChannel.open(Path.of(pty), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                assertThat(line(terminal))
                        .startsWith("{\"QMP\": {\"version\": ")
                        .endsWith("\"capabilities\": [\"oob\"]}}\r\n");
                terminal.write(ByteBuffer.wrap("{\"execute\": \"qmp_capabilities\"}\n".getBytes(US_ASCII)));
                assertThat(line(terminal)).isEqualTo("{\"return\": {}}\r\n");
            }
            ObjectNode remove = JsonNodeFactory.instance.objectNode().put("execute", "monitor-remove");
            remove.putObject("arguments").put("id", "mon");
            assertThat(server.execute(remove).has("return")).isTrue();
            ObjectNode removeChardev = JsonNodeFactory.instance.objectNode().put("execute", "chardev-remove");
            removeChardev.putObject("arguments").put("id", "console");
            assertThat(server.execute(removeChardev).has("return")).isTrue();
            assertThat(Path.of(pty)).doesNotExist();
        }
        assertThat(ptyDescriptors()).as("pty descriptors after the server").isEqualTo(before);
    }
}
