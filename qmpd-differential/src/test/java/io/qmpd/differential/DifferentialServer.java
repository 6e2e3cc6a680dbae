package io.qmpd.differential;

import io.qmpd.testing.ServerProcess;
import io.qmpd.testing.ServerProcess.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One server of a differential run, QEMU or qmpd, started with the same options: {@code -machine
 * none -nodefaults -display none -S} and one QMP monitor on the unix socket {@code DIR/qmp.sock}.
 */
final class DifferentialServer implements AutoCloseable {

    final Kind kind;
    final Path dir;
    final Path socket;
    private final ServerProcess process;

    private DifferentialServer(Kind kind, Path dir, ServerProcess process) {
        this.kind = kind;
        this.dir = dir;
        this.socket = dir.resolve("qmp.sock");
        this.process = process;
    }

    static DifferentialServer start(Kind kind, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path socket = dir.resolve("qmp.sock");
        List<String> options = new ArrayList<>(ServerProcess.BARE_OPTIONS);
        options.addAll(List.of(
                "-chardev",
                "socket,id=qmp0,path=" + socket + ",server=on,wait=off",
                "-mon",
                "chardev=qmp0,mode=control,id=mon0"));
        Path log = dir.resolve(kind.name().toLowerCase(Locale.ROOT) + ".log");
        return new DifferentialServer(
                kind, dir, ServerProcess.start(kind, options, log, List.of(socket), Duration.ofSeconds(20)));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.close();
    }
}
