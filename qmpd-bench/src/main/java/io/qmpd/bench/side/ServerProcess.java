package io.qmpd.bench.side;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server process (QEMU or qmpd) with {@code n} QMP monitors given on the command line, each
 * on its own listening unix socket {@code m<i>.sock}: QEMU's
 * {@code -chardev socket,id=m<i>,path=...,server=on,wait=off -mon chardev=m<i>,mode=control}.
 * Both servers get the identical argument list after their program name. A broker is qmpd with
 * those monitors and {@code -upstream}, in front of a QEMU of its own that has one QMP monitor;
 * its figures (RSS, heap) are qmpd's. A pump is {@code socat} relaying the bytes of one client to
 * such a QEMU and back: what any proxy costs on this machine, with nothing parsed.
 *
 * <p>Not thread-safe; used from the harness's main thread.
 */
final class ServerProcess implements AutoCloseable {

    /** The servers measured side by side. */
    enum Kind {
        QEMU,
        QMPD,
        BROKER,
        PUMP
    }

    /** A machine with nothing in it, no display, stopped: every server measured starts so. */
    private static final List<String> BARE = List.of("-machine", "none", "-nodefaults", "-display", "none", "-S");
    /** The socket of the broker's QEMU's second monitor, left to the harness ({@link #upstreamClient}). */
    private static final String UPSTREAM_OWN = "upstream-own.sock";

    /** How to launch each server: the QEMU binary and the qmpd command prefix (java ... -jar). */
    record Launch(String qemuBinary, List<String> qmpdPrefix) {
        List<String> prefix(Kind kind) {
            return kind == Kind.QEMU ? List.of(qemuBinary) : qmpdPrefix;
        }
    }

    private final Kind kind;
    private final Process process;
    private final Path dir;
    private final long startedNanos;

    /** A broker's QEMU, or null. */
    private final Process upstream;

    private ServerProcess(Kind kind, Process process, Path dir, long startedNanos, Process upstream) {
        this.kind = kind;
        this.process = process;
        this.dir = dir;
        this.startedNanos = startedNanos;
        this.upstream = upstream;
    }

    static ServerProcess start(Launch launch, Kind kind, Path dir, int monitors) throws IOException {
        Files.createDirectories(dir);
        Process qemu = kind == Kind.BROKER || kind == Kind.PUMP ? startUpstream(launch, dir) : null;
        if (kind == Kind.PUMP) {
            if (monitors != 1) {
                throw new IllegalArgumentException("monitors: " + monitors + " (expected: a pump relays one client)");
            }
            return pump(dir, qemu);
        }
        List<String> cmd = new ArrayList<>(launch.prefix(kind));
        if (kind == Kind.BROKER) {
            cmd.addAll(List.of("-upstream", "unix:" + dir.resolve("upstream.sock"), "-nodefaults", "-display", "none"));
        } else {
            cmd.addAll(BARE);
        }
        for (int i = 0; i < monitors; i++) {
            Path sock = dir.resolve("m" + i + ".sock");
            Files.deleteIfExists(sock);
            cmd.add("-chardev");
            cmd.add("socket,id=m" + i + ",path=" + sock + ",server=on,wait=off");
            cmd.add("-mon");
            cmd.add("chardev=m" + i + ",mode=control");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(
                        dir.resolve(kind.name().toLowerCase() + ".stderr").toFile());
        long t0 = System.nanoTime();
        return new ServerProcess(kind, pb.start(), dir, t0, qemu);
    }

    /** socat listening on {@code m0.sock}, relaying each client to {@code qemu}'s monitor, started until it listens. */
    private static ServerProcess pump(Path dir, Process qemu) throws IOException {
        Path socket = dir.resolve("m0.sock");
        Files.deleteIfExists(socket);
        Process socat = new ProcessBuilder(
                        "socat", "UNIX-LISTEN:" + socket + ",fork", "UNIX-CONNECT:" + dir.resolve("upstream.sock"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("pump.stderr").toFile())
                .start();
        long t0 = System.nanoTime();
        waitForSocket(socket, socat, qemu);
        return new ServerProcess(Kind.PUMP, socat, dir, t0, qemu);
    }

    /** Waits until {@code process} listens on {@code socket}; on failure ends it and {@code other}. */
    private static void waitForSocket(Path socket, Process process, Process other) throws IOException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                if (other != null) {
                    other.destroyForcibly();
                }
                throw new IOException(process.info().command().orElse("a server") + " did not listen on " + socket);
            }
            LockSupport.parkNanos(10_000_000L);
        }
    }

    /**
     * A broker's QEMU, with a QMP monitor on {@code dir/upstream.sock} for the broker and a second
     * for the harness ({@link #upstreamClient}), started until it listens.
     */
    private static Process startUpstream(Launch launch, Path dir) throws IOException {
        Path socket = dir.resolve("upstream.sock");
        Files.deleteIfExists(socket);
        List<String> cmd = new ArrayList<>(List.of(launch.qemuBinary()));
        cmd.addAll(BARE);
        cmd.addAll(List.of("-qmp", "unix:" + socket + ",server=on,wait=off"));
        cmd.addAll(List.of("-qmp", "unix:" + dir.resolve(UPSTREAM_OWN) + ",server=on,wait=off"));
        Process qemu = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("upstream.stderr").toFile())
                .start();
        waitForSocket(socket, qemu, null);
        return qemu;
    }

    Kind kind() {
        return kind;
    }

    long pid() {
        return process.pid();
    }

    long startedNanos() {
        return startedNanos;
    }

    /**
     * A client of the broker's QEMU on a monitor of QEMU's own beside the broker's: the same QEMU,
     * measured directly. Only for {@link Kind#BROKER}.
     */
    QmpSocket upstreamClient(boolean oob) throws IOException {
        if (kind != Kind.BROKER) {
            throw new IllegalStateException("kind: " + kind + " (expected: BROKER)");
        }
        checkAlive();
        return QmpSocket.negotiated(dir.resolve(UPSTREAM_OWN), oob);
    }

    Path socket(int monitor) {
        return dir.resolve("m" + monitor + ".sock");
    }

    Path dir() {
        return dir;
    }

    /** A connected, negotiated client on monitor {@code i}. */
    QmpSocket client(int monitor, boolean oob) throws IOException {
        checkAlive();
        return QmpSocket.negotiated(socket(monitor), oob);
    }

    void checkAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException(kind + " exited with " + process.exitValue() + "; see "
                    + dir.resolve(kind.name().toLowerCase() + ".stderr"));
        }
    }

    /**
     * VmRSS from /proc, in KiB. For qmpd, a full GC and a glibc trim run first
     * ({@code jcmd GC.run}, {@code System.trim_native_heap}), so neither heap garbage nor the
     * malloc arenas the JIT compiler used during start-up and has freed are counted.
     */
    long rssKiB() throws IOException, InterruptedException {
        if (kind == Kind.QMPD) {
            jcmd("GC.run");
            jcmd("System.trim_native_heap");
        }
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid());
    }

    /**
     * qmpd only: Java heap in use right after a full GC, in KiB (live objects): G1's one heap
     * line, or the sum of the serial collector's generations (young and tenured).
     */
    long liveHeapKiB() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = HEAP_USE.matcher(info);
        long used = 0;
        boolean found = false;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            found = true;
        }
        if (!found) {
            throw new IOException("no heap use in: " + info);
        }
        return used;
    }

    /** A heap or generation line of {@code GC.heap_info}: {@code ... heap   total 20480K, used 6626K}. */
    private static final Pattern HEAP_USE = Pattern.compile("(?:heap|generation)\\s+total \\d+K, used (\\d+)K");

    /** Runs a diagnostic command, retrying while the attach mechanism is not ready. */
    private String jcmd(String command) throws IOException, InterruptedException {
        String out = "";
        for (int attempt = 0; attempt < 20; attempt++) {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid()), command)
                    .redirectErrorStream(true)
                    .start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.contains("Exception")) {
                return out;
            }
            Thread.sleep(250);
        }
        throw new IOException("jcmd " + command + " failed: " + out);
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : upstream == null ? List.of(process) : List.of(process, upstream)) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }
}
