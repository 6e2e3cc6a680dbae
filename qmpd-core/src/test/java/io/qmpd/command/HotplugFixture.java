package io.qmpd.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.chardev.SocketAddress;
import io.qmpd.chardev.SocketChardev;
import io.qmpd.server.ServerInternals;
import io.qmpd.server.TestServer;
import io.qmpd.testing.QmpTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@link TestServer} with unix socket chardevs in a private directory and real clients. The
 * control monitor {@code ctl} (command line, id {@code ctl}, chardev {@code ctl-chr}) is
 * connected and negotiated as {@link #ctl}.
 */
final class HotplugFixture implements AutoCloseable {

    final TestServer t;
    final Path dir;
    final QmpTestClient ctl;
    private final List<QmpTestClient> clients = new ArrayList<>();

    HotplugFixture() {
        this(new TestServer());
    }

    /** The fixture around {@code server} (a {@link TestServer} with limits, say). */
    HotplugFixture(TestServer server) {
        t = server;
        try {
            dir = Files.createTempDirectory("qmpd-hp");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctl = cliMonitor("ctl").negotiate();
    }

    /** A listening unix socket chardev {@code id}, registered with the server; returns its path. */
    Path chardev(String id) {
        Path path = path(id);
        try {
            t.server.addChardev(SocketChardev.listen(
                    id, ServerInternals.loop(t.server), new SocketAddress.Unix(path), false, false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path;
    }

    /** {@code chardev-add} of a unix socket server at {@code path}, with request id {@code requestId}. */
    static String chardevAddUnixServer(String id, Path path, int requestId) {
        return "{\"execute\": \"chardev-add\", \"id\": " + requestId + ", \"arguments\": {\"id\": \"" + id
                + "\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \""
                + path + "\"}}, \"server\": true, \"wait\": false}}}}";
    }

    /** {@code monitor-add} of monitor {@code id} on {@code chardev}, with request id {@code requestId}. */
    static String monitorAdd(String id, String chardev, int requestId) {
        return "{\"execute\": \"monitor-add\", \"id\": " + requestId + ", \"arguments\": {\"id\": \"" + id
                + "\", \"chardev\": \"" + chardev + "\"}}";
    }

    /** Sends {@code request} and expects exactly {@code {"return": {}, "id": requestId}}. */
    static void expectOk(QmpTestClient client, String request, int requestId) {
        assertThat(client.call(request)).isEqualTo("{\"return\": {}, \"id\": " + requestId + "}\r\n");
    }

    Path path(String chardevId) {
        return dir.resolve(chardevId + ".sock");
    }

    /** A command-line QMP monitor {@code id} on a new chardev {@code id-chr}; returns a connected client. */
    QmpTestClient cliMonitor(String id) {
        Path path = chardev(id + "-chr");
        t.server.addQmpMonitor(id, id + "-chr", false, false);
        return connect(path);
    }

    QmpTestClient connect(Path path) {
        QmpTestClient c = QmpTestClient.connect(path);
        clients.add(c);
        return c;
    }

    /** {@code monitor-add} over {@link #ctl} of {@code id} on a new chardev {@code id-chr}; returns the socket path. */
    Path dynamicMonitor(String id) {
        Path path = chardev(id + "-chr");
        String r = ctl.call("{\"execute\": \"monitor-add\", \"arguments\": {\"id\": \"" + id + "\", \"chardev\": \""
                + id + "-chr\"}}");
        if (!r.equals("{\"return\": {}}\r\n")) {
            throw new AssertionError("monitor-add failed: " + r);
        }
        return path;
    }

    /** Java API on the dispatcher: whether a chardev can be removed (QEMU's chardev-remove). */
    void removeChardev(String id) {
        t.server.callOnDispatcher(() -> {
            ServerInternals.chardevs(t.server).remove(id);
            return null;
        });
    }

    static String error(String desc) {
        return "{\"error\": {\"class\": \"GenericError\", \"desc\": \"" + desc + "\"}}\r\n";
    }

    static final String OK = "{\"return\": {}}\r\n";

    @Override
    public void close() {
        for (QmpTestClient c : clients) {
            c.close();
        }
        t.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
