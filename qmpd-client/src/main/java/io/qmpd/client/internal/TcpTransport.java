package io.qmpd.client.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A TCP connection ({@code -qmp tcp:host:port}); cannot pass descriptors. Thread-safe as {@link Transport} requires. */
final class TcpTransport implements Transport {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private TcpTransport(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static TcpTransport connect(String host, int port, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            return new TcpTransport(socket);
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
            throw new IllegalArgumentException("fds: " + fds.length + " descriptors (expected: none on a TCP connection)");
        }
        out.write(bytes);
        out.flush();
    }

    @Override
    public boolean canPassFds() {
        return false;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Close path: nothing more to release.
        }
    }
}
