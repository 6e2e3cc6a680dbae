package io.qmpd.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.qmpd.client.internal.Connection;
import io.qmpd.client.internal.Endpoint;
import io.qmpd.client.internal.EventListeners;
import io.qmpd.client.internal.SerialExecutor;
import io.qmpd.client.internal.Transport;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A QMP client for QEMU and qmpd.
 *
 * <pre>{@code
 * try (QmpClient qmp = QmpClient.builder().unix(Path.of("/run/vm.qmp")).build()) {
 *     Greeting hello = qmp.connect();
 *     JsonNode status = qmp.execute("query-status").get();
 * }
 * }</pre>
 *
 * <p><b>Life:</b> {@link Runstate#IDLE} → {@link #connect()} ({@link Runstate#CONNECTING}: greeting,
 * then {@code qmp_capabilities}, enabling {@code oob} when offered) → {@link Runstate#RUNNING} →
 * {@link #disconnect()} or the server leaving ({@link Runstate#DISCONNECTING}) → {@code IDLE},
 * from where it may connect again.
 *
 * <p><b>Commands</b> get automatic ids {@code "__qmpd-client-<n>"}; any number may be in flight
 * and replies are matched by id in whatever order they come. A reply {@code {"error": ...}} fails
 * the future with {@link QmpErrorResponseException}; a dropped connection fails every pending
 * future with {@link QmpConnectionClosedException}; garbage from the server closes the connection
 * and fails them with {@link QmpProtocolException}. A timeout fails the future with a
 * {@link TimeoutException}; a cancelled or timed-out call's late reply is discarded.
 *
 * <p><b>Threads:</b> thread-safe. A reader thread {@code qmpd-client-<name>-reader} parses the
 * server's output; replies and events are handed, in wire order, to one serial callback executor
 * (by default a thread {@code qmpd-client-<name>-callbacks}), which completes futures and calls
 * listeners. An event sent before a reply therefore reaches listeners before that reply's future
 * completes, and dependent stages ({@code thenApply}...) run on that executor too: do not block it
 * waiting for another reply.
 */
public final class QmpClient implements AutoCloseable {

    private static final String ID_PREFIX = "__qmpd-client-";

    private final QmpClientBuilder.Config config;
    private final ObjectMapper mapper = new ObjectMapper();
    private final EventListeners listeners = new EventListeners();
    private final AtomicReference<Runstate> state = new AtomicReference<>(Runstate.IDLE);
    private final AtomicLong ids = new AtomicLong();
    /** The current connection, null when idle; written under {@code this}, read anywhere. */
    private volatile Connection connection;
    /** Completes after the current connection's end left the client IDLE. */
    private volatile CompletableFuture<QmpClientException> ended = CompletableFuture.completedFuture(null);

    private volatile Greeting greeting;
    private volatile List<String> enabled = List.of();

    QmpClient(QmpClientBuilder.Config config) {
        this.config = config;
    }

    public static QmpClientBuilder builder() {
        return new QmpClientBuilder();
    }

    public Runstate runstate() {
        return state.get();
    }

    /** The last greeting, or null before the first connect. */
    public Greeting greeting() {
        return greeting;
    }

    /** The capabilities negotiation enabled on the current connection, e.g. {@code ["oob"]}. */
    public List<String> enabledCapabilities() {
        return enabled;
    }

    /**
     * Connects, reads the greeting and (unless disabled) negotiates; blocks up to the builder's
     * timeout for each step. Must not be called on the callback executor.
     *
     * @throws IllegalStateException if not {@link Runstate#IDLE}
     * @throws IOException if the socket cannot be connected
     * @throws QmpClientException if the greeting or negotiation fails or times out
     */
    public Greeting connect() throws IOException {
        if (!state.compareAndSet(Runstate.IDLE, Runstate.CONNECTING)) {
            throw new IllegalStateException("state: " + state.get() + " (expected: IDLE)");
        }
        Connection c = null;
        try {
            Transport transport = Transport.open(config.endpoint(), config.timeout());
            Executor callbacks = callbackExecutor();
            c = new Connection(config.name(), transport, callbacks, listeners, mapper);
            synchronized (this) {
                connection = c;
            }
            Connection current = c;
            ended = c.closed().whenComplete((reason, failure) -> ended(current, callbacks));
            c.start();
            Greeting g = await(c.greeting(), "the greeting");
            List<String> enable = config.oob() && g.offers("oob") ? List.of("oob") : List.of();
            if (config.negotiate()) {
                ObjectNode args = mapper.createObjectNode();
                if (!enable.isEmpty()) {
                    args.putArray("enable").add("oob");
                }
                await(
                        send(QmpRequest.of("qmp_capabilities").withArguments(enable.isEmpty() ? null : args), c),
                        "the reply to qmp_capabilities");
                enabled = enable;
            } else {
                enabled = List.of();
            }
            greeting = g;
            if (!state.compareAndSet(Runstate.CONNECTING, Runstate.RUNNING)) {
                throw new QmpConnectionClosedException("connection closed while connecting", null);
            }
            return g;
        } catch (IOException | RuntimeException e) {
            if (c != null) {
                c.close(new QmpConnectionClosedException("connect failed", e));
                awaitIdle(c);
            } else {
                state.set(Runstate.IDLE);
            }
            throw e;
        }
    }

    /** Sends {@code name} without arguments. */
    public CompletableFuture<JsonNode> execute(String name) {
        return execute(QmpRequest.of(name));
    }

    /** Sends {@code name} with {@code arguments}: an {@link ObjectNode}, a record, a map or any bean Jackson can write. */
    public CompletableFuture<JsonNode> execute(String name, Object arguments) {
        return execute(QmpRequest.of(name).withArguments(toArguments(arguments)));
    }

    /** Sends {@code name} with {@code arguments} and passes {@code fds} with it (unix sockets only). */
    public CompletableFuture<JsonNode> execute(String name, Object arguments, FileDescriptor... fds) {
        return execute(QmpRequest.of(name).withArguments(toArguments(arguments)).withFds(fds));
    }

    /** Sends {@code name} out of band ({@code exec-oob}). */
    public CompletableFuture<JsonNode> executeOob(String name, Object arguments) {
        return execute(QmpRequest.of(name).withArguments(toArguments(arguments)).outOfBand());
    }

    /**
     * Sends {@code request}; the future completes with the reply's {@code return} value.
     *
     * @throws IllegalStateException if not {@link Runstate#RUNNING}, or out of band without {@code oob} negotiated
     * @throws IllegalArgumentException if fds are given on a TCP connection
     */
    public CompletableFuture<JsonNode> execute(QmpRequest request) {
        return send(request, running());
    }

    /**
     * Sends a message as it is (the shell's raw JSON lines) and completes with the whole reply
     * object, error or not. Messages without an {@code "id"} member are answered in the order they
     * were sent, as a QMP server answers in-band commands: only in-band commands may go without one.
     */
    public CompletableFuture<JsonNode> executeRaw(ObjectNode message) {
        return executeRaw(message, new FileDescriptor[0]);
    }

    /**
     * As {@link #executeRaw(ObjectNode)}, passing {@code fds} with the message (unix sockets only).
     *
     * @throws IllegalArgumentException if fds are given on a TCP connection
     */
    public CompletableFuture<JsonNode> executeRaw(ObjectNode message, FileDescriptor... fds) {
        Connection c = running();
        if (fds.length > 0 && !c.canPassFds()) {
            throw new IllegalArgumentException(
                    "fds: " + fds.length + " descriptors (expected: none on a TCP connection)");
        }
        String command = message.path("execute").asText(message.path("exec-oob").asText("?"));
        return c.send(message, message.get("id"), command, true, config.commandTimeout(), fds.clone());
    }

    /** The path of the unix socket this client connects to; empty for TCP and for a socket it was given connected. */
    public Optional<Path> unixPath() {
        return config.endpoint() instanceof Endpoint.Unix unix ? Optional.of(unix.path()) : Optional.empty();
    }

    /** Listens to every event. @return closing it removes the listener */
    public AutoCloseable addEventListener(QmpEventListener listener) {
        return addEventListener(listener, new String[0]);
    }

    /** Listens to the named events only (all events when none are named). @return closing it removes the listener */
    public AutoCloseable addEventListener(QmpEventListener listener, String... names) {
        Runnable remove = listeners.add(listener, Set.of(names));
        return remove::run;
    }

    /**
     * The next event called {@code name}. Call it <em>before</em> sending the command that causes
     * the event: the event cannot be missed, even if it arrives before the command's reply.
     */
    public CompletableFuture<QmpEvent> nextEvent(String name) {
        return nextEvent(name, e -> true);
    }

    /** The next event called {@code name} that {@code filter} accepts (see {@link #nextEvent(String)}). */
    public CompletableFuture<QmpEvent> nextEvent(String name, Predicate<QmpEvent> filter) {
        CompletableFuture<QmpEvent> next = new CompletableFuture<>();
        Runnable[] remove = new Runnable[1];
        remove[0] = listeners.add(
                event -> {
                    if (!next.isDone() && filter.test(event)) {
                        next.complete(event);
                    }
                },
                Set.of(name));
        next.whenComplete((e, failure) -> remove[0].run());
        return next;
    }

    /**
     * Completes once the current connection has ended (every pending call failed) with the
     * reason; an already completed future when idle.
     */
    public CompletableFuture<QmpClientException> disconnected() {
        return ended;
    }

    /**
     * Closes the connection: pending calls fail with {@link QmpConnectionClosedException}. Waits
     * (bounded by the builder's timeout) until the client is {@link Runstate#IDLE}, except when
     * called on the callback executor. Idempotent.
     */
    public void disconnect() {
        Connection c = connection;
        if (c == null) {
            return;
        }
        state.compareAndSet(Runstate.RUNNING, Runstate.DISCONNECTING);
        c.close(new QmpConnectionClosedException("connection closed by the client", null));
        if (Thread.currentThread().getName().startsWith("qmpd-client-" + config.name() + "-")) {
            return;
        }
        awaitIdle(c);
    }

    private void awaitIdle(Connection c) {
        try {
            c.awaitReader(config.timeout());
            ended.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Close path: the connection's own end task reports nothing more useful than this.
        }
    }

    @Override
    public void close() {
        disconnect();
    }

    private CompletableFuture<JsonNode> send(QmpRequest request, Connection c) {
        if (request.oob() && !enabled.contains("oob")) {
            throw new IllegalStateException("oob: not negotiated (expected: a server offering \"oob\")");
        }
        if (!request.fds().isEmpty() && !c.canPassFds()) {
            throw new IllegalArgumentException(
                    "fds: " + request.fds().size() + " descriptors (expected: none on a TCP connection)");
        }
        TextNode id = TextNode.valueOf(ID_PREFIX + ids.incrementAndGet());
        ObjectNode message = mapper.createObjectNode();
        message.put(request.oob() ? "exec-oob" : "execute", request.name());
        if (request.arguments() != null) {
            message.set("arguments", request.arguments());
        }
        message.set("id", id);
        Duration timeout = request.timeout() != null ? request.timeout() : config.commandTimeout();
        return c.send(message, id, request.name(), false, timeout, request.fds().toArray(new FileDescriptor[0]));
    }

    private Connection running() {
        Connection c = connection;
        if (state.get() != Runstate.RUNNING || c == null) {
            throw new IllegalStateException("state: " + state.get() + " (expected: RUNNING)");
        }
        return c;
    }

    private ObjectNode toArguments(Object arguments) {
        if (arguments == null || arguments instanceof ObjectNode) {
            return (ObjectNode) arguments;
        }
        JsonNode tree = mapper.valueToTree(arguments);
        if (!(tree instanceof ObjectNode object)) {
            throw new IllegalArgumentException("arguments: " + tree + " (expected: a JSON object)");
        }
        return object;
    }

    private Executor callbackExecutor() {
        if (config.callbackExecutor() != null) {
            return new SerialExecutor(config.callbackExecutor());
        }
        String threadName = "qmpd-client-" + config.name() + "-callbacks";
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Callback executor, after the connection's last task. */
    private void ended(Connection c, Executor callbacks) {
        state.set(Runstate.DISCONNECTING);
        synchronized (this) {
            if (connection == c) {
                connection = null;
            }
        }
        enabled = List.of();
        state.set(Runstate.IDLE);
        if (callbacks instanceof ExecutorService owned) {
            owned.shutdown(); // Lets the queued tasks run, then the thread ends.
        }
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpConnectionClosedException("interrupted while waiting for " + what, e);
        } catch (TimeoutException e) {
            throw new QmpConnectionClosedException(
                    "timed out after " + config.timeout().toMillis() + " ms waiting for " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QmpClientException q) {
                throw q;
            }
            throw new QmpProtocolException("failed waiting for " + what + ": " + e.getCause(), e.getCause());
        }
    }
}
