package io.qmpd.testing;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A blocking QMP test client on a unix stream socket (a junixsocket socket, so it can send
 * descriptors with SCM_RIGHTS, or one end of a socketpair). Reads time out after 10 s.
 */
public final class ScmClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public ScmClient(Socket socket) {
        try {
            this.socket = socket;
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ScmClient connect(Path path) {
        try {
            return new ScmClient(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void send(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code text} with {@code fd} attached (SCM_RIGHTS) to its first byte. */
    public void sendWithFd(String text, FileDescriptor fd) {
        sendWithFds(text, fd);
    }

    /** Sends {@code text} with all of {@code fds} attached (SCM_RIGHTS) to its first byte. */
    public void sendWithFds(String text, FileDescriptor... fds) {
        try {
            ((AFUNIXSocket) socket).setOutboundFileDescriptors(fds);
            send(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next line with its line end, or null at EOF. */
    public String nextOrEof() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                line.write(b);
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("no line (partial: " + line.toString(StandardCharsets.UTF_8) + ")", e);
        }
        if (line.size() > 0) {
            throw new AssertionError("EOF after a partial line: " + line.toString(StandardCharsets.UTF_8));
        }
        return null;
    }

    public String next() {
        String line = nextOrEof();
        if (line == null) {
            throw new AssertionError("EOF, expected a line");
        }
        return line;
    }

    /** Sends {@code json} and a newline and returns the next line. */
    public String call(String json) {
        send(json + "\n");
        return next();
    }

    /** Reads the greeting and negotiates. */
    public ScmClient negotiate() {
        String greeting = next();
        if (!greeting.startsWith("{\"QMP\": ")) {
            throw new AssertionError("expected a greeting: " + greeting);
        }
        String ok = call("{\"execute\": \"qmp_capabilities\"}");
        if (!ok.equals("{\"return\": {}}\r\n")) {
            throw new AssertionError("negotiation failed: " + ok);
        }
        return this;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
