package io.qmpd.differential;

import io.qmpd.daemon.ServerProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One server of a differential run, QEMU or qmpd, started with the same options: {@code -machine
 * none -nodefaults -display none -S} and one QMP monitor on the unix socket {@code DIR/qmp.sock}.
 * qmpd runs from the Surefire class path ({@code io.qmpd.daemon.Main}).
 */
final class ServerProcess implements AutoCloseable {

    enum Kind {
        QEMU,
        QMPD
    }

    static final String QEMU_BINARY = "qemu-system-x86_64";

    final Kind kind;
    final Path dir;
    final Path socket;
    private final Process process;
    private final Path log;

    private ServerProcess(Kind kind, Path dir, Process process, Path log) {
        this.kind = kind;
        this.dir = dir;
        this.socket = dir.resolve("qmp.sock");
        this.process = process;
        this.log = log;
    }

    /** Whether QEMU can be started here: the binary is on the PATH. */
    static boolean qemuAvailable() {
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p, QEMU_BINARY))) {
                return true;
            }
        }
        return false;
    }

    static ServerProcess start(Kind kind, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>();
        if (kind == Kind.QEMU) {
            cmd.add(QEMU_BINARY);
        } else {
            cmd.addAll(ServerProcesses.qmpdCommand(
                    System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
        }
        cmd.addAll(List.of(
                "-machine",
                "none",
                "-nodefaults",
                "-display",
                "none",
                "-S",
                "-chardev",
                "socket,id=qmp0,path=" + dir.resolve("qmp.sock") + ",server=on,wait=off",
                "-mon",
                "chardev=qmp0,mode=control,id=mon0"));
        Path log = dir.resolve(kind.name().toLowerCase(Locale.ROOT) + ".log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServerProcess server = new ServerProcess(kind, dir, p, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(server.socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException(kind + " did not listen on " + server.socket + ":\n"
                        + Files.readString(log, StandardCharsets.ISO_8859_1));
            }
            p.waitFor(20, TimeUnit.MILLISECONDS); // bounded poll for the socket file
        }
        return server;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        ServerProcesses.stop(process);
    }
}
