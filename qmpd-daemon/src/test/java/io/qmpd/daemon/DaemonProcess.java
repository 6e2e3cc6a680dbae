package io.qmpd.daemon;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * The real daemon as a separate JVM ({@code java -cp <test classpath> io.qmpd.daemon.Main}), the
 * way bin/qmpd runs it, with stdout and stderr captured to files.
 */
final class DaemonProcess implements AutoCloseable {

    static final Duration BOUND = Duration.ofSeconds(20);

    /**
     * Runs the rest of its arguments with two inherited sockets, as a supervisor would: one
     * connected to the first path, one listening on the second; CONNECTED_FD and LISTENING_FD in
     * the arguments become their numbers. (Perl's Socket module is part of every Debian system.)
     */
    static final String INHERIT_SOCKETS = String.join(
            "\n",
            "use Socket; use Fcntl;",
            "my ($to, $at) = splice(@ARGV, 0, 2);",
            "socket(my $c, AF_UNIX, SOCK_STREAM, 0) or die; connect($c, pack_sockaddr_un($to)) or die \"connect: $!\";",
            "socket(my $l, AF_UNIX, SOCK_STREAM, 0) or die; bind($l, pack_sockaddr_un($at)) or die; listen($l, 5) or die;",
            "fcntl($_, F_SETFD, 0) or die for ($c, $l);",
            "my ($cn, $ln) = (fileno($c), fileno($l));",
            "exec map { s/CONNECTED_FD/$cn/gr =~ s/LISTENING_FD/$ln/gr } @ARGV;");

    final Process process;
    final Path out;
    final Path err;

    private DaemonProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * The test class path with each directory packed into a jar, so that the daemon runs from
     * jars as bin/qmpd does: a class is then loaded from a file opened at start, never opened
     * anew later, when the daemon may be out of descriptors (a test's {@code prlimit}).
     */
    private static final Supplier<String> JARRED_CLASS_PATH = new Supplier<>() {
        private String path;

        @Override
        public synchronized String get() {
            if (path == null) {
                path = jarred(System.getProperty("java.class.path"));
            }
            return path;
        }
    };

    private static String jarred(String classPath) {
        try {
            Path dir = Files.createTempDirectory("qmpd-test-jars");
            dir.toFile().deleteOnExit(); // after the jars: files registered later are deleted first
            List<String> entries = new ArrayList<>();
            int n = 0;
            for (String entry : classPath.split(File.pathSeparator)) {
                Path p = Path.of(entry);
                if (!Files.isDirectory(p)) {
                    entries.add(entry);
                    continue;
                }
                Path jar = dir.resolve("classes-" + n++ + ".jar");
                try (var out = new JarOutputStream(Files.newOutputStream(jar));
                        var files = Files.walk(p)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        out.putNextEntry(new JarEntry(p.relativize(f).toString().replace('\\', '/')));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
                jar.toFile().deleteOnExit();
                entries.add(jar.toString());
            }
            return String.join(File.pathSeparator, entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> command(List<String> args) {
        return command(List.of(), List.of(), args);
    }

    /**
     * @param wrapper    what runs the JVM ({@code prlimit --nofile=64 --}, say), or nothing
     * @param jvmOptions JVM options ({@code -Xmx64m}, say) after the default ones
     */
    static List<String> command(List<String> wrapper, List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add(Daemonizer.ADD_OPENS); // what the jar's manifest gives bin/qmpd
        cmd.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput")); // as bin/qmpd
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(JARRED_CLASS_PATH.get());
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        return cmd;
    }

    static DaemonProcess start(Path dir, Map<String, String> env, String... args) throws IOException {
        return start(dir, env, List.of(), List.of(), args);
    }

    static DaemonProcess start(
            Path dir, Map<String, String> env, List<String> wrapper, List<String> jvmOptions, String... args)
            throws IOException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command(wrapper, jvmOptions, List.of(args)))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().putAll(env);
        return new DaemonProcess(pb.start(), out, err);
    }

    /** Runs to the end (bounded) and returns the exit status. */
    int exitStatus() throws InterruptedException {
        if (!process.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("daemon still running after " + BOUND + "\nstderr: " + stderr());
        }
        return process.exitValue();
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The QMP socket a run without options offers in {@code runtime} (its XDG_RUNTIME_DIR),
     * {@code qmpd/qmp-PID.sock}, once it exists (bounded).
     */
    Path awaitFirstRunSocket(Path runtime) throws InterruptedException {
        Path sock = runtime.resolve("qmpd/qmp-" + process.pid() + ".sock");
        awaitFile(sock, this);
        return sock;
    }

    /** Waits (bounded, polling the file system) until {@code path} exists. */
    static void awaitFile(Path path, DaemonProcess d) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!Files.exists(path)) {
            if (d != null && !d.process.isAlive()) {
                throw new AssertionError("daemon exited (" + d.process.exitValue() + ") before " + path
                        + " existed\nstderr: " + d.stderr());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " missing after " + BOUND);
            }
            LockSupport.parkNanos(10_000_000L); // bounded poll
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
