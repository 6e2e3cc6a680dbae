package io.qmpd.client;

import io.qmpd.client.internal.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Configures a {@link QmpClient}: where to connect, the default timeout, whether to negotiate and
 * which executor runs callbacks. Not thread-safe; {@link #build()} may be called more than once.
 */
public final class QmpClientBuilder {

    private Endpoint endpoint;
    private Duration timeout = Duration.ofSeconds(30);
    private boolean commandTimeout = true;
    private boolean negotiate = true;
    private boolean oob = true;
    private Executor callbackExecutor;
    private String name;

    QmpClientBuilder() {}

    /** A unix socket, as QEMU's {@code -qmp unix:PATH,server=on}. */
    public QmpClientBuilder unix(Path path) {
        this.endpoint = new Endpoint.Unix(path);
        return this;
    }

    /** A TCP socket, as QEMU's {@code -qmp tcp:HOST:PORT,server=on}. */
    public QmpClientBuilder tcp(String host, int port) {
        this.endpoint = new Endpoint.Tcp(host, port);
        return this;
    }

    /**
     * A unix socket already connected to the server, held by this process as descriptor {@code fd}
     * (one end of a socketpair a supervisor passed, as QEMU's {@code fd:N}); the client owns it
     * from then on and closes it at disconnect, so it connects once.
     */
    public QmpClientBuilder connectedSocket(int fd) {
        this.endpoint = new Endpoint.Connected(fd);
        return this;
    }

    /**
     * The default timeout of connecting, of the greeting and negotiation, and of every command
     * that sets none of its own ({@link QmpRequest#withTimeout}); default 30 s.
     */
    public QmpClientBuilder timeout(Duration t) {
        this.timeout = Objects.requireNonNull(t, "timeout");
        return this;
    }

    /**
     * Commands that set no timeout of their own wait for their reply as long as the connection
     * lasts, instead of the default timeout: for a program that forwards commands whose duration
     * it cannot know (qmpd's broker). Connecting, the greeting and negotiation keep the timeout.
     */
    public QmpClientBuilder noCommandTimeout() {
        this.commandTimeout = false;
        return this;
    }

    /** Whether {@link QmpClient#connect()} sends {@code qmp_capabilities} (default true; false for raw sessions). */
    public QmpClientBuilder negotiate(boolean enabled) {
        this.negotiate = enabled;
        return this;
    }

    /** Whether negotiation enables {@code oob} when the server offers it (default true). */
    public QmpClientBuilder oob(boolean enabled) {
        this.oob = enabled;
        return this;
    }

    /**
     * Runs reply completions and event listeners, one task at a time in wire order (a pool is
     * fine: tasks are serialized on top of it). Default: one thread per connection,
     * {@code qmpd-client-<name>-callbacks}.
     */
    public QmpClientBuilder callbackExecutor(Executor executor) {
        this.callbackExecutor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /** The name in thread names and error texts; default the socket address. */
    public QmpClientBuilder name(String clientName) {
        this.name = Objects.requireNonNull(clientName, "name");
        return this;
    }

    /** @throws IllegalArgumentException with "name: value (expected: ...)" for a missing or bad value */
    public QmpClient build() {
        if (endpoint == null) {
            throw new IllegalArgumentException(
                    "endpoint: none (expected: unix(path), tcp(host, port) or connectedSocket(fd))");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        String n = name != null ? name : endpoint.toString();
        return new QmpClient(
                new Config(endpoint, timeout, commandTimeout ? timeout : null, negotiate, oob, callbackExecutor, n));
    }

    /** The frozen configuration. */
    /** {@code commandTimeout}: that of a command setting none, null for none. */
    record Config(
            Endpoint endpoint,
            Duration timeout,
            Duration commandTimeout,
            boolean negotiate,
            boolean oob,
            Executor callbackExecutor,
            String name) {}
}
