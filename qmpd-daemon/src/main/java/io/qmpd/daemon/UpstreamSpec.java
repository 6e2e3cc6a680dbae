package io.qmpd.daemon;

import io.qmpd.client.QmpClient;
import io.qmpd.client.QmpClientBuilder;
import java.nio.file.Path;

/**
 * {@code -upstream}: the QMP monitor of the running QEMU in front of which qmpd stands, as
 * {@code unix:PATH} (a socket QEMU listens on) or {@code fd:N} (a unix socket already connected to
 * it, inherited from a supervisor).
 *
 * @param written the argument as written
 * @param path    the socket path, or null for {@code fd:N}
 * @param fd      the inherited descriptor, or -1 for {@code unix:PATH}
 */
record UpstreamSpec(String written, Path path, int fd) {

    static UpstreamSpec parse(String arg) {
        if (arg.startsWith("unix:") && arg.length() > "unix:".length()) {
            return new UpstreamSpec(arg, Path.of(arg.substring("unix:".length())), -1);
        }
        if (arg.startsWith("fd:") && arg.substring(3).matches("[0-9]{1,9}")) {
            return new UpstreamSpec(arg, null, Integer.parseInt(arg.substring(3)));
        }
        throw new IllegalArgumentException("expects unix:PATH or fd:N");
    }

    /** A client for the connection qmpd makes. */
    QmpClientBuilder client() {
        QmpClientBuilder builder = QmpClient.builder().name("upstream");
        return path != null ? builder.unix(path) : builder.connectedSocket(fd);
    }
}
