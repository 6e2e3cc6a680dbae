package io.qmpd.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One command to send: its name, its arguments (or none), whether it goes out of band
 * ({@code exec-oob}), its own timeout (or the client's default) and the file descriptors to pass
 * with it (unix sockets only). Build with {@link #of(String)} and the {@code with*} methods.
 */
public record QmpRequest(String name, ObjectNode arguments, boolean oob, Duration timeout, List<FileDescriptor> fds) {

    public QmpRequest {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name: \"\" (expected: a command name)");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        fds = List.copyOf(fds);
    }

    /** {@code name} without arguments, in band, with the client's default timeout and no fds. */
    public static QmpRequest of(String name) {
        return new QmpRequest(name, null, false, null, List.of());
    }

    public QmpRequest withArguments(ObjectNode args) {
        return new QmpRequest(name, args, oob, timeout, fds);
    }

    /** Sends it as {@code exec-oob} (needs the {@code oob} capability negotiated). */
    public QmpRequest outOfBand() {
        return new QmpRequest(name, arguments, true, timeout, fds);
    }

    public QmpRequest withTimeout(Duration t) {
        return new QmpRequest(name, arguments, oob, Objects.requireNonNull(t, "timeout"), fds);
    }

    public QmpRequest withFds(FileDescriptor... descriptors) {
        return new QmpRequest(name, arguments, oob, timeout, List.of(descriptors));
    }
}
