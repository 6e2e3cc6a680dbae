package io.qmpd.client.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.file.Path;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A blocking TCP socket, or a unix socket through junixsocket — because the JDK's unix channels
 * cannot send ancillary data (SCM_RIGHTS). Thread-safe as {@link Transport} requires.
 */
final class SocketTransport implements Transport {

    private final Socket socket;
    /** Non-null on unix sockets: the same socket, able to send descriptors. */
    private final AFUNIXSocket unix;

    private final InputStream in;
    private final OutputStream out;

    private SocketTransport(Socket socket) throws IOException {
        this.socket = socket;
        this.unix = socket instanceof AFUNIXSocket u ? u : null;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static SocketTransport unix(Path path, int timeoutMillis) throws IOException {
        return connect(AFUNIXSocket.newInstance(), AFUNIXSocketAddress.of(path), timeoutMillis);
    }

    /** Adopts descriptor {@code fd}, a connected unix socket; closing the transport closes it. */
    static SocketTransport connected(int fd) throws IOException {
        return new SocketTransport(FileDescriptorCast.unsafeUsing(fd).as(AFUNIXSocket.class));
    }

    static SocketTransport tcp(String host, int port, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        return connect(socket, new InetSocketAddress(host, port), timeoutMillis);
    }

    private static SocketTransport connect(Socket socket, SocketAddress address, int timeoutMillis) throws IOException {
        try {
            socket.connect(address, timeoutMillis);
            return new SocketTransport(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public InputStream input() {
        return in;
    }

    @Override
    public void write(byte[] bytes, FileDescriptor[] fds) throws IOException {
        if (fds.length > 0) {
            if (unix == null) {
                throw new IllegalArgumentException(
                        "fds: " + fds.length + " descriptors (expected: none on a TCP connection)");
            }
            // The descriptors ride along with the next write, i.e. with the command's first bytes,
            // which is where QEMU's char-socket looks for them.
            unix.setOutboundFileDescriptors(fds);
        }
        out.write(bytes);
        out.flush();
    }

    @Override
    public boolean canPassFds() {
        return unix != null;
    }

    @Override
    public void close() {
        try {
            // shutdown() wakes a reader blocked in recv(); close() alone may not.
            if (!socket.isClosed()) {
                socket.shutdownInput();
                socket.shutdownOutput();
            }
        } catch (IOException e) {
            // Close path: the peer may already be gone; close() below still releases the fd.
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Close path: nothing more to release.
        }
    }
}
