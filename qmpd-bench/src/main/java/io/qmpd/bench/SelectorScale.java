package io.qmpd.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * The I/O design measurement behind ADR 5 (not a JMH benchmark): N listening unix sockets are
 * registered with one selector, as N idle socket chardevs would be, then one echo connection on
 * the same selector measures the round trip a monitor's request pays while the other N sit idle.
 * {@code jdk} uses the JDK's epoll selector, {@code junix} junixsocket's own selector (which
 * polls every registered socket on each wake-up).
 *
 * <pre>java -cp qmpd-bench/target/benchmarks.jar io.qmpd.bench.SelectorScale jdk 10000</pre>
 *
 * Prints one line: creation time, descriptors added, round trip p50/p99 over 15,000 echoes
 * (after 5,000 warm-up), heap in use. Needs {@code ulimit -n} above N + 100.
 */
public final class SelectorScale {

    private static final int WARMUP = 5_000;
    private static final int MEASURED = 15_000;

    private final boolean junix;
    private final Path dir;

    private SelectorScale(boolean junix, Path dir) {
        this.junix = junix;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("jdk") || args[0].equals("junix"))) {
            System.err.println("usage: SelectorScale jdk|junix N");
            System.exit(2);
        }
        int n = Integer.parseInt(args[1]);
        Path dir = Files.createTempDirectory("qmpd-selscale");
        try {
            new SelectorScale(args[0].equals("junix"), dir).run(args[0], n);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0); // the echo thread is blocked in select()
    }

    private void run(String name, int n) throws Exception {
        int fdsBefore = openDescriptors();
        Selector selector = junix ? AFUNIXSelectorProvider.provider().openSelector() : Selector.open();
        List<ServerSocketChannel> idle = new ArrayList<>(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ServerSocketChannel s = listen(dir.resolve("s" + i));
            s.configureBlocking(false);
            s.register(selector, SelectionKey.OP_ACCEPT);
            idle.add(s);
        }
        long createNanos = System.nanoTime() - t0;
        int fdsAdded = openDescriptors() - fdsBefore;

        Path echoPath = dir.resolve("echo");
        ServerSocketChannel echoServer = listen(echoPath);
        Thread loop = new Thread(() -> echo(echoServer, selector), "selscale-loop");
        loop.setDaemon(true);
        loop.start();

        long[] rtt = new long[WARMUP + MEASURED];
        try (SocketChannel client = connect(echoPath)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            for (int i = 0; i < rtt.length; i++) {
                long s = System.nanoTime();
                b.clear().put((byte) 1).flip();
                client.write(b);
                b.clear();
                while (client.read(b) == 0) {
                    Thread.onSpinWait();
                }
                rtt[i] = System.nanoTime() - s;
            }
        }
        long[] measured = Arrays.copyOfRange(rtt, WARMUP, rtt.length);
        Arrays.sort(measured);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        System.out.printf(
                "%s n=%d create=%.0fms fds=+%d rtt p50=%.1fus p99=%.1fus heap=%dMB%n",
                name,
                n,
                createNanos / 1e6,
                fdsAdded,
                measured[measured.length / 2] / 1e3,
                measured[(int) (measured.length * 0.99)] / 1e3,
                (rt.totalMemory() - rt.freeMemory()) >> 20);
        for (ServerSocketChannel s : idle) {
            s.close();
        }
    }

    private ServerSocketChannel listen(Path path) throws IOException {
        ServerSocketChannel s;
        if (junix) {
            s = AFUNIXServerSocketChannel.open();
            s.bind(AFUNIXSocketAddress.of(path.toFile()), 1);
        } else {
            s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(path), 1);
        }
        return s;
    }

    private SocketChannel connect(Path path) throws IOException {
        return junix
                ? AFUNIXSocketChannel.open(AFUNIXSocketAddress.of(path.toFile()))
                : SocketChannel.open(UnixDomainSocketAddress.of(path));
    }

    /** The selector thread: accepts one client and echoes every byte back through the selector. */
    private static void echo(ServerSocketChannel server, Selector selector) {
        try {
            SocketChannel c = server.accept();
            c.configureBlocking(false);
            c.register(selector, SelectionKey.OP_READ);
            ByteBuffer b = ByteBuffer.allocate(64);
            while (true) {
                selector.select();
                for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (k.isReadable()) {
                        b.clear();
                        if (c.read(b) < 0) {
                            return;
                        }
                        b.flip();
                        c.write(b);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int openDescriptors() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }
}
