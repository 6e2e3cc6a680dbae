package io.qmpd.conformance;

import io.qmpd.daemon.ServerProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The one server process a conformance run talks to: real QEMU started exactly as the corpus
 * README says, or qmpd's daemon started with the same options.
 */
final class ServerUnderTest implements AutoCloseable {

    enum Kind {
        QMPD,
        QEMU
    }

    static final List<String> SOCKETS = List.of("qmp0", "hmp0", "spare");

    private final Kind kind;
    private final Process process;
    private final Path log;

    private ServerUnderTest(Kind kind, Process process, Path log) {
        this.kind = kind;
        this.process = process;
        this.log = log;
    }

    /** QEMU's options from the corpus README, for DIR. */
    static List<String> qemuOptions(Path dir) {
        return List.of(
                "-machine",
                "none",
                "-nodefaults",
                "-display",
                "none",
                "-S",
                "-chardev",
                "socket,id=qmp0,path=" + dir + "/qmp0.sock,server=on,wait=off",
                "-mon",
                "chardev=qmp0,mode=control,id=mon0",
                "-chardev",
                "socket,id=hmp0,path=" + dir + "/hmp0.sock,server=on,wait=off",
                "-mon",
                "chardev=hmp0,mode=readline,id=mon1",
                "-chardev",
                "socket,id=spare,path=" + dir + "/spare.sock,server=on,wait=off",
                "-pidfile",
                dir + "/qemu.pid");
    }

    /** The full command: the same options for both servers. */
    static List<String> commandLine(Kind kind, Path dir, String daemonClasspath) {
        List<String> cmd = new ArrayList<>();
        if (kind == Kind.QEMU) {
            cmd.add("qemu-system-x86_64");
            cmd.addAll(qemuOptions(dir));
            return cmd;
        }
        cmd.addAll(ServerProcesses.qmpdCommand(daemonClasspath));
        cmd.addAll(qemuOptions(dir));
        return cmd;
    }

    /** Cleans {@code dir}, starts the server, and waits (bounded) until its three sockets exist. */
    static ServerUnderTest start(Kind kind, Path dir, String daemonClasspath, Path log, Duration bound)
            throws IOException {
        clean(dir);
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(commandLine(kind, dir, daemonClasspath))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        ServerUnderTest server;
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            server = new ServerUnderTest(kind, pb.start(), log);
            long deadline = System.nanoTime() + bound.toNanos();
            while (!SOCKETS.stream().allMatch(s -> Files.exists(dir.resolve(s + ".sock")))) {
                if (!server.process.isAlive()) {
                    throw new IllegalStateException("state: " + kind + " exited with status "
                            + server.process.exitValue() + " before listening\n" + server.logTail());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    server.close();
                    throw new IllegalStateException("state: " + kind + " not listening on " + SOCKETS + " after "
                            + bound + "\n" + server.logTail());
                }
                var key = watch.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + kind, e);
        }
        return server;
    }

    private static void clean(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
    }

    Kind kind() {
        return kind;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits (bounded) for the process to end; returns its exit status, or -1 if it is still running. */
    int awaitExit(Duration bound) throws InterruptedException {
        return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return "--- last lines of " + log + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** Ends the process if it still runs: SIGTERM, then SIGKILL after a bounded wait. */
    @Override
    public void close() {
        ServerProcesses.stop(process);
    }
}
