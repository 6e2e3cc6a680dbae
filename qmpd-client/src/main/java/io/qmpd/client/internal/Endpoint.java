package io.qmpd.client.internal;

import java.nio.file.Path;
import java.util.Objects;

/** Where the server listens (a unix socket path, a TCP host and port), or a socket already connected to it. */
public sealed interface Endpoint {

    /** A unix socket; the only kind that can pass file descriptors. */
    record Unix(Path path) implements Endpoint {
        public Unix {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** A TCP address. */
    record Tcp(String host, int port) implements Endpoint {
        public Tcp {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** A unix socket already connected, held as descriptor {@code fd} (a supervisor's socketpair, say). */
    record Connected(int fd) implements Endpoint {
        public Connected {
            if (fd < 0) {
                throw new IllegalArgumentException("fd: " + fd + " (expected: >= 0)");
            }
        }

        @Override
        public String toString() {
            return "fd:" + fd;
        }
    }
}
