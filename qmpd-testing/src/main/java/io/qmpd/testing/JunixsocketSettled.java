package io.qmpd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * junixsocket keeps one socket for the whole JVM, made when it first closes a connected socket: it
 * {@code dup2}s that socket over the descriptors it closes, so that a thread still blocked on one
 * never reads from an unrelated socket that reuses the number. It is no leak, but it would appear
 * as one in whichever test class first closes a junixsocket socket; {@link NothingLeaks} has it
 * made before its baseline. Loaded only where junixsocket is on the class path.
 */
final class JunixsocketSettled {

    private static boolean settled;

    private JunixsocketSettled() {}

    static synchronized void settle() {
        if (settled) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("qmpd-settle-");
            Path path = dir.resolve("s.sock");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(path));
                try (AFUNIXSocket client = AFUNIXSocket.newInstance()) {
                    client.connect(AFUNIXSocketAddress.of(path));
                    try (SocketChannel accepted = server.accept()) {
                        // connected both ways: closing the client now makes junixsocket's socket
                    }
                }
            } finally {
                Files.deleteIfExists(path);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot settle junixsocket", e);
        }
        settled = true;
    }
}
