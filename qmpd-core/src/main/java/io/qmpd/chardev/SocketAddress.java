package io.qmpd.chardev;

import java.nio.file.Path;
import java.util.Objects;

/** Where a socket chardev listens: QEMU's {@code SocketAddress} of type unix or inet. */
public sealed interface SocketAddress {

    /** The address as QEMU prints it inside a chardev filename: {@code unix:/p} or {@code tcp:host:port}. */
    String qemuForm();

    /** A unix domain socket path. */
    record Unix(Path path) implements SocketAddress {
        public Unix {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String qemuForm() {
            return "unix:" + path;
        }
    }

    /**
     * A TCP host and port (port 0: the kernel chooses).
     *
     * @param service the port as the client wrote it, which QEMU's error texts repeat
     *                ({@code 70000} is port 4464, as the C library reads it)
     */
    record Inet(String host, int port, String service) implements SocketAddress {
        public Inet {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(service, "service");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
            }
        }

        public Inet(String host, int port) {
            this(host, port, Integer.toString(port));
        }

        @Override
        public String qemuForm() {
            return "tcp:" + hostForm(host) + ":" + port;
        }

        /** IPv6 literals in brackets, as QEMU prints them. */
        static String hostForm(String host) {
            return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        }
    }
}
