package io.qmpd.broker;

import io.qmpd.io.Descriptors;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Two connected unix stream sockets of the JDK's, made through a listener that is gone once they
 * are (junixsocket's socketpair leaves sockets open after its close). {@code near} is the end a
 * test passes with SCM_RIGHTS.
 */
record UnixPair(SocketChannel near, SocketChannel far) implements AutoCloseable {

    /** A pair connected through a socket file {@code path}, deleted again before this returns. */
    static UnixPair open(Path path) throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(path));
            SocketChannel near = SocketChannel.open(UnixDomainSocketAddress.of(path));
            return new UnixPair(near, listener.accept());
        } finally {
            Files.deleteIfExists(path);
        }
    }

    FileDescriptor passedFd() {
        return Descriptors.fileDescriptor(near).orElseThrow();
    }

    @Override
    public void close() throws IOException {
        near.close();
        far.close();
    }
}
