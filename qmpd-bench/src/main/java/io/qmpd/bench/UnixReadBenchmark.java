package io.qmpd.bench;

import io.qmpd.io.DescriptorReader;
import io.qmpd.io.Descriptors;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.FileDescriptorCast;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What receiving descriptors costs on an accepted unix client (ADR 5, amendments): one read of a
 * request through the JDK's channel (which loses SCM_RIGHTS), the same read through
 * {@link DescriptorReader} (libc's recvmsg on the channel's own descriptor), and the per-connection
 * junixsocket view qmpd made before either.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED")
public class UnixReadBenchmark {

    private static final byte[] REQUEST = "{\"execute\":\"qmp_capabilities\"}\n".getBytes(StandardCharsets.US_ASCII);

    private Path dir;
    private ServerSocketChannel listener;
    private SocketChannel client;
    /** The accepted end, as qmpd holds it: non-blocking, its local address the listener's path. */
    private SocketChannel accepted;

    private FileDescriptor acceptedFd;
    private int acceptedNumber;
    private DescriptorReader reader;
    private final ByteBuffer request = ByteBuffer.wrap(REQUEST);
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("unixread");
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(dir.resolve("s")));
        client = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("s")));
        accepted = listener.accept();
        accepted.configureBlocking(false);
        acceptedFd = Descriptors.fileDescriptor(accepted)
                .orElseThrow(() -> new IllegalStateException("needs --add-opens java.base/sun.nio.ch=ALL-UNNAMED"));
        acceptedNumber = Descriptors.number(accepted).orElseThrow();
        reader = DescriptorReader.create()
                .orElseThrow(() -> new IllegalStateException(
                        DescriptorReader.unavailableReason().orElse("no descriptor reader")));
    }

    @TearDown
    public void tearDown() throws IOException {
        accepted.close();
        client.close();
        listener.close();
        Files.deleteIfExists(dir.resolve("s"));
        Files.deleteIfExists(dir);
    }

    private void send() throws IOException {
        request.rewind();
        client.write(request);
    }

    @Benchmark
    public int readJdk() throws IOException {
        send();
        int n;
        do {
            in.clear();
            n = accepted.read(in);
        } while (n == 0);
        return n;
    }

    @Benchmark
    public int readDescriptorReader() throws IOException {
        send();
        int n;
        do {
            in.clear();
            n = reader.read(acceptedNumber, in);
        } while (n == 0);
        return n + reader.takeReceived().length;
    }

    /** The view each accepted client got before: a dup, its checks, junixsocket's socket objects. */
    @Benchmark
    public boolean junixsocketViewPerConnection() throws IOException {
        AFUNIXSocketChannel view = FileDescriptorCast.duplicating(acceptedFd).as(AFUNIXSocketChannel.class);
        view.configureBlocking(false);
        view.setAncillaryReceiveBufferSize(1024);
        boolean open = view.isOpen();
        new FileInputStream(view.getFileDescriptor()).close(); // the dup only, as the old release did
        return open;
    }
}
