package io.qmpd.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A QMP server run as a child process by a test that compares qmpd with QEMU: real QEMU 7.2,
 * qmpd's daemon in a child JVM from the test's own class path, or that daemon as a broker in front
 * of a QEMU 7.2 of its own, all with the same options. Its output goes to a log file;
 * {@link #start} returns once the sockets it serves exist (bounded), and {@link #close()} ends it
 * (SIGTERM, then SIGKILL after a bounded wait), and a broker's QEMU after it.
 */
public final class ServerProcess implements AutoCloseable {

    /** Which server. */
    public enum Kind {
        QEMU,
        QMPD,
        /**
         * qmpd with {@code -upstream}, in front of a QEMU started with {@link #BARE_OPTIONS} and a
         * QMP socket for it: the options' monitors and chardevs are qmpd's, their commands QEMU's.
         */
        BROKER
    }

    public static final String QEMU_BINARY = "qemu-system-x86_64";

    /** A machine with nothing in it, no display, stopped: what every comparison starts both servers with. */
    public static final List<String> BARE_OPTIONS =
            List.of("-machine", "none", "-nodefaults", "-display", "none", "-S");

    private static final String QMPD_MAIN = "io.qmpd.daemon.Main";
    /** What the daemon jar's manifest opens for bin/qmpd: descriptor passing needs it. */
    private static final String ADD_OPENS = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";

    private final Kind kind;
    private final Process process;
    private final Path log;
    /** A broker's QEMU, or null. */
    private final ServerProcess upstream;
    /** The directory of a broker's QEMU socket, removed at close; or null. */
    private final Path upstreamDir;

    private ServerProcess(Kind kind, Process process, Path log, ServerProcess upstream, Path upstreamDir) {
        this.kind = kind;
        this.process = process;
        this.log = log;
        this.upstream = upstream;
        this.upstreamDir = upstreamDir;
    }

    /** Whether QEMU can be started here: its binary is on the PATH. */
    public static boolean qemuAvailable() {
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p, QEMU_BINARY))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The command that runs {@code kind} with {@code options}: QEMU's binary, or {@code java}
     * running qmpd's daemon from this test's class path (which must hold qmpd-daemon), as bin/qmpd
     * runs its jar.
     */
    public static List<String> command(Kind kind, List<String> options) {
        if (kind == Kind.BROKER) {
            throw new IllegalArgumentException("kind: BROKER (expected: one process; start() runs a broker's two)");
        }
        List<String> cmd = new ArrayList<>();
        if (kind == Kind.QEMU) {
            cmd.add(QEMU_BINARY);
        } else {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            if (!classpath.contains("qmpd-daemon")) {
                throw new IllegalStateException("state: the test class path lacks qmpd-daemon: " + classpath);
            }
            cmd.addAll(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    ADD_OPENS,
                    "-cp",
                    classpath,
                    QMPD_MAIN));
        }
        cmd.addAll(options);
        return cmd;
    }

    /**
     * Starts {@code kind} with {@code options}, its output to {@code log}, and waits until every
     * path of {@code sockets} exists; fails, with the log's tail, if the process ends first or
     * {@code bound} passes.
     */
    public static ServerProcess start(Kind kind, List<String> options, Path log, List<Path> sockets, Duration bound)
            throws IOException {
        Files.createDirectories(log.getParent());
        if (kind == Kind.BROKER) {
            return startBroker(options, log, sockets, bound);
        }
        Process p = new ProcessBuilder(command(kind, options))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServerProcess server = new ServerProcess(kind, p, log, null, null);
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            while (!sockets.stream().allMatch(Files::exists)) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("state: " + kind + " exited with status " + p.exitValue()
                            + " before listening\n" + server.logTail());
                }
                if (System.nanoTime() > deadline) {
                    server.close();
                    throw new IllegalStateException("state: " + kind + " not listening on " + sockets + " after "
                            + bound + "\n" + server.logTail());
                }
                p.waitFor(20, TimeUnit.MILLISECONDS); // bounded poll for the socket files
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
            throw new IOException("interrupted while starting " + kind, e);
        }
        return server;
    }

    /**
     * A QEMU with {@link #BARE_OPTIONS} and a QMP socket in a directory of its own, then qmpd in
     * front of it with {@code options}, less what only the simulated machine takes.
     */
    private static ServerProcess startBroker(List<String> options, Path log, List<Path> sockets, Duration bound)
            throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "qmpd-upstream-");
        Path socket = dir.resolve("qmp.sock");
        List<String> qemuOptions = new ArrayList<>(BARE_OPTIONS);
        qemuOptions.addAll(List.of("-qmp", "unix:" + socket + ",server=on,wait=off"));
        Path qemuLog = log.resolveSibling(log.getFileName() + ".upstream");
        ServerProcess qemu = start(Kind.QEMU, qemuOptions, qemuLog, List.of(socket), bound);
        List<String> brokerOptions = new ArrayList<>(List.of("-upstream", "unix:" + socket));
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            if (option.equals("-machine") || option.equals("-M")) {
                i++;
            } else if (!option.equals("-S")) {
                brokerOptions.add(option);
            }
        }
        try {
            ServerProcess qmpd = start(Kind.QMPD, brokerOptions, log, sockets, bound);
            return new ServerProcess(Kind.BROKER, qmpd.process, log, qemu, dir);
        } catch (IOException | RuntimeException e) {
            qemu.close();
            removeEmpty(dir);
            throw e;
        }
    }

    private static void removeEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir); // QEMU removed its socket as it ended
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    public Kind kind() {
        return kind;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits (bounded) for the process to end; its exit status, or -1 if it still runs. */
    public int awaitExit(Duration bound) throws InterruptedException {
        return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** The last 30 lines of the log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return "--- last lines of " + log + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Sends {@code signal} ({@code STOP}, {@code CONT}, ...) to the process with kill(1), and waits for kill to finish. */
    public void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Kills the process at once (SIGKILL), as a crash would, and waits (bounded) until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    /** Ends the process if it still runs: SIGTERM, then SIGKILL after a bounded wait. */
    @Override
    public void close() {
        stop(process);
        if (upstream != null) {
            upstream.close();
            removeEmpty(upstreamDir);
        }
    }

    /** Ends {@code process} if it still runs: SIGTERM, then SIGKILL after a bounded wait. */
    public static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
