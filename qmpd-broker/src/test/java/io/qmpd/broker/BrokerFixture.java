package io.qmpd.broker;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.client.QmpClient;
import io.qmpd.server.QmpServer;
import io.qmpd.testing.QmpTestClient;
import io.qmpd.testing.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real QEMU 7.2 ({@code -machine none}, stopped) with two QMP monitors of its own: the one qmpd
 * stands in front of, and a direct one for comparison and for looking at QEMU behind qmpd's
 * back. In front of it, an in-process qmpd server with {@link BrokerBackend}, whose command-line
 * monitors ({@link #addSession}) are sessions on QEMU.
 */
final class BrokerFixture implements AutoCloseable {

    final Path dir;
    final ServerProcess qemu;
    final QmpServer server;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private int sessions;

    private BrokerFixture(Path dir, ServerProcess qemu, QmpServer server) {
        this.dir = dir;
        this.qemu = qemu;
        this.server = server;
    }

    /**
     * A fixture in a new directory under /tmp named {@code prefix...}; the calling test is skipped
     * (not failed) where QEMU 7.2 is not installed.
     */
    static BrokerFixture startOrSkip(String prefix) throws IOException {
        return startOrSkip(prefix, ServerProcess.BARE_OPTIONS);
    }

    /** As {@link #startOrSkip(String)}, QEMU's machine given by {@code machineOptions}. */
    static BrokerFixture startOrSkip(String prefix, List<String> machineOptions) throws IOException {
        assumeTrue(ServerProcess.qemuAvailable(), "QEMU 7.2 (qemu-system-x86_64) is not installed");
        return start(tempDir(prefix), machineOptions);
    }

    static BrokerFixture start(Path dir) throws IOException {
        return start(dir, ServerProcess.BARE_OPTIONS);
    }

    private static BrokerFixture start(Path dir, List<String> machineOptions) throws IOException {
        Path upstream = dir.resolve("upstream.sock");
        Path direct = dir.resolve("direct.sock");
        Path directPretty = dir.resolve("direct-pretty.sock");
        Path directHmp = dir.resolve("direct-hmp.sock");
        List<String> options = new ArrayList<>(machineOptions);
        options.addAll(List.of(
                "-qmp", "unix:" + upstream + ",server=on,wait=off",
                "-qmp", "unix:" + direct + ",server=on,wait=off",
                "-qmp-pretty", "unix:" + directPretty + ",server=on,wait=off",
                "-monitor", "unix:" + directHmp + ",server=on,wait=off"));
        ServerProcess qemu = ServerProcess.start(
                ServerProcess.Kind.QEMU,
                options,
                dir.resolve("qemu.log"),
                List.of(upstream, direct, directPretty, directHmp),
                Duration.ofSeconds(20));
        try {
            BrokerBackend broker = BrokerBackend.connect(QmpClient.builder().unix(upstream));
            QmpServer server = broker.configure(QmpServer.builder()).build().start();
            return new BrokerFixture(dir, qemu, server);
        } catch (IOException | RuntimeException e) {
            qemu.close();
            throw e;
        }
    }

    /** A new QMP monitor of qmpd's on a socket of its own; returns the socket's path. */
    Path addSession(boolean pretty) {
        String id = "s" + sessions++;
        Path path = addSocketChardev(id);
        server.addQmpMonitor(id, id, pretty, false);
        return path;
    }

    /** A new HMP monitor of qmpd's on a socket of its own; returns the socket's path. */
    Path addHmpMonitor() {
        String id = "h" + sessions++;
        Path path = addSocketChardev(id);
        server.addHmpMonitor(id, id, false);
        return path;
    }

    private Path addSocketChardev(String id) {
        Path path = dir.resolve(id + ".sock");
        ObjectNode backend = JsonNodeFactory.instance.objectNode().put("type", "socket");
        ObjectNode data = backend.putObject("data");
        data.putObject("addr").put("type", "unix").putObject("data").put("path", path.toString());
        data.put("server", true).put("wait", false);
        server.addChardev(id, backend);
        return path;
    }

    /** A client connected to a new session (its greeting not read yet). */
    QmpTestClient session() {
        return track(QmpTestClient.connect(addSession(false)));
    }

    /** A client connected to a new pretty-printing session. */
    QmpTestClient prettySession() {
        return track(QmpTestClient.connect(addSession(true)));
    }

    /** The label of QEMU's chardev the broker is the client of: QEMU numbers its {@code -qmp} chardevs in order, and the broker's comes first. */
    String upstreamChardev() {
        return "compat_monitor0";
    }

    /** A client connected to QEMU's direct monitor (one at a time: QEMU serves one client per monitor). */
    QmpTestClient direct() {
        return track(QmpTestClient.connect(dir.resolve("direct.sock")));
    }

    /** A client connected to QEMU's direct pretty-printing monitor. */
    QmpTestClient directPretty() {
        return track(QmpTestClient.connect(dir.resolve("direct-pretty.sock")));
    }

    private QmpTestClient track(QmpTestClient c) {
        clients.add(c);
        return c;
    }

    @Override
    public void close() {
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        server.close();
        qemu.close();
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many descriptors process {@code pid} holds now. */
    static long descriptors(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }
}
