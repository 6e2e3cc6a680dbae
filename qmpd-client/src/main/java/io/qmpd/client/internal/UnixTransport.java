package io.qmpd.client.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A unix socket through junixsocket, because the JDK's unix channels cannot send ancillary data
 * (SCM_RIGHTS). Thread-safe as {@link Transport} requires.
 */
final class UnixTransport implements Transport {

    private final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;

    private UnixTransport(AFUNIXSocket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static UnixTransport connect(Path path, int timeoutMillis) throws IOException {
        AFUNIXSocket socket = AFUNIXSocket.newInstance();
        try {
            socket.connect(AFUNIXSocketAddress.of(path), timeoutMillis);
            return new UnixTransport(socket);
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
            // The descriptors ride along with the next write, i.e. with the command's first bytes,
            // which is where QEMU's char-socket looks for them.
            socket.setOutboundFileDescriptors(fds);
        }
        out.write(bytes);
        out.flush();
    }

    @Override
    public boolean canPassFds() {
        return true;
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
