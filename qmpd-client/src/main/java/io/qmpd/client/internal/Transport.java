package io.qmpd.client.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A connected blocking socket: the reader thread reads {@link #input()}, callers write whole
 * messages under the connection's write lock. {@link #close()} wakes a blocked reader.
 */
public interface Transport extends AutoCloseable {

    InputStream input();

    /** Writes {@code bytes} in one go; {@code fds}, when not empty, travel with them as SCM_RIGHTS. */
    void write(byte[] bytes, FileDescriptor[] fds) throws IOException;

    boolean canPassFds();

    /** Idempotent; safe from any thread. */
    @Override
    void close();

    static Transport open(Endpoint endpoint, Duration timeout) throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        if (endpoint instanceof Endpoint.Unix unix) {
            return SocketTransport.unix(unix.path(), millis);
        }
        if (endpoint instanceof Endpoint.Connected connected) {
            return SocketTransport.connected(connected.fd());
        }
        Endpoint.Tcp tcp = (Endpoint.Tcp) endpoint;
        return SocketTransport.tcp(tcp.host(), tcp.port(), millis);
    }
}
