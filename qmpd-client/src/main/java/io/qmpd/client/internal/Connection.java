package io.qmpd.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.client.Greeting;
import io.qmpd.client.QmpClientException;
import io.qmpd.client.QmpConnectionClosedException;
import io.qmpd.client.QmpErrorResponseException;
import io.qmpd.client.QmpProtocolException;
import io.qmpd.json.JsonStreamer;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One connection's life: the reader thread {@code qmpd-client-<name>-reader} parses the server's
 * bytes with {@link JsonStreamer} and hands every message, in wire order, to the serial callback
 * executor, where replies are matched to pending calls and events go to the listeners. So an event
 * the server wrote before a reply reaches the listeners before that reply's future completes.
 *
 * <p>Thread-safe. {@link #send} runs on the caller's thread and writes under {@link #writeLock}
 * (only socket I/O happens under it, never a callback). The reader thread never completes a
 * future or calls a listener itself. When the connection ends, one last callback task fails every
 * pending call and completes {@link #closed()} with the reason.
 */
public final class Connection {

    private final String name;
    private final Transport transport;
    private final Executor callbacks;
    private final EventListeners listeners;
    private final ObjectMapper mapper;
    private final PendingCalls pending = new PendingCalls();
    private final CompletableFuture<Greeting> greeting = new CompletableFuture<>();
    private final CompletableFuture<QmpClientException> closed = new CompletableFuture<>();
    private final Object writeLock = new Object();
    private final Thread reader;
    /** Set once, by whoever ends the connection first; read by the reader thread when it stops. */
    private volatile QmpClientException endReason;

    // Owned by the reader thread.
    private boolean greeted;

    public Connection(
            String name, Transport transport, Executor callbacks, EventListeners listeners, ObjectMapper mapper) {
        this.name = name;
        this.transport = transport;
        this.callbacks = callbacks;
        this.listeners = listeners;
        this.mapper = mapper;
        this.reader = new Thread(this::read, "qmpd-client-" + name + "-reader");
        this.reader.setDaemon(true);
    }

    public void start() {
        reader.start();
    }

    /** Completes (on the callback executor) with the parsed greeting. */
    public CompletableFuture<Greeting> greeting() {
        return greeting;
    }

    /**
     * Completes on the callback executor once the connection has ended and every pending call has
     * failed, with the reason: a {@link QmpConnectionClosedException} or {@link QmpProtocolException}.
     */
    public CompletableFuture<QmpClientException> closed() {
        return closed;
    }

    public boolean canPassFds() {
        return transport.canPassFds();
    }

    public int pendingCount() {
        return pending.size();
    }

    /**
     * Sends {@code message} (which already carries {@code id}, or none when {@code id} is null) and
     * returns the future of its reply: with {@code raw} the whole reply object, otherwise its
     * {@code return} value, or a {@link QmpErrorResponseException} for an error reply.
     */
    public CompletableFuture<JsonNode> send(
            ObjectNode message, JsonNode id, String command, boolean raw, Duration timeout, FileDescriptor[] fds) {
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        PendingCall call =
                new PendingCall(PendingCalls.key(id), command, id == null ? null : id.toString(), raw, future);
        byte[] bytes = line(message);
        IOException broke = null;
        // Calls without an id are answered in the order they were written: registered and written as one.
        synchronized (writeLock) {
            if (!pending.add(call)) {
                throw new IllegalStateException("id: " + id + " (expected: an id no pending command uses)");
            }
            if (endReason != null) {
                pending.remove(call);
                future.completeExceptionally(closedWhileWaiting(call, endReason));
                return future;
            }
            // A cancelled call leaves the table (one without an id keeps its place), so its late reply is dropped.
            future.whenComplete((value, failure) -> pending.remove(call));
            try {
                transport.write(bytes, fds);
            } catch (IOException e) {
                broke = e;
            }
        }
        if (broke != null) {
            end(new QmpConnectionClosedException(
                    "connection to " + name + " broke while sending: " + broke.getMessage(), broke));
        }
        if (timeout != null) {
            Executor later = CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS, callbacks);
            later.execute(() -> {
                if (pending.remove(call)) {
                    future.completeExceptionally(new TimeoutException(
                            "no reply to " + call.describe() + " within " + timeout.toMillis() + " ms"));
                }
            });
        }
        return future;
    }

    /** {@code message} as one line of compact JSON. */
    private byte[] line(ObjectNode message) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("message: cannot be written as JSON", e);
        }
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }

    /** Ends the connection from the client's side; pending calls fail with {@code reason}. Idempotent. */
    public void close(QmpClientException reason) {
        end(reason);
    }

    /** Waits for the reader thread to stop (not from the callback executor). */
    public void awaitReader(Duration limit) throws InterruptedException {
        reader.join(Math.max(1, limit.toMillis()));
    }

    private void end(QmpClientException reason) {
        synchronized (writeLock) {
            if (endReason == null) {
                endReason = reason;
            }
        }
        transport.close();
    }

    private void read() {
        JsonStreamer streamer = new JsonStreamer(new JsonStreamer.Listener() {
            @Override
            public void onValue(JsonNode value) {
                onMessage(value);
            }

            @Override
            public void onError(String desc) {
                end(ServerMessages.protocol("the server sent invalid JSON (" + desc + ")"));
            }
        });
        byte[] buffer = new byte[16384];
        try {
            int n;
            while (endReason == null && (n = transport.input().read(buffer)) >= 0) {
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining() && endReason == null) {
                    streamer.feed(chunk);
                }
            }
            end(new QmpConnectionClosedException("connection closed by the server", null));
        } catch (IOException | UncheckedIOException e) {
            end(new QmpConnectionClosedException("connection to " + name + " broke: " + e.getMessage(), e));
        } finally {
            transport.close();
            QmpClientException reason = endReason;
            callbacks.execute(() -> failEverything(reason));
        }
    }

    /** Reader thread: classify and queue; never complete anything here. */
    private void onMessage(JsonNode value) {
        if (!(value instanceof ObjectNode message)) {
            end(ServerMessages.protocol("expected a JSON object, got " + ServerMessages.abbreviate(value)));
            return;
        }
        if (!greeted) {
            try {
                Greeting g = ServerMessages.greeting(message);
                greeted = true;
                callbacks.execute(() -> greeting.complete(g));
            } catch (QmpProtocolException e) {
                end(e);
            }
            return;
        }
        if (message.has("event")) {
            try {
                var event = ServerMessages.event(message);
                callbacks.execute(() -> listeners.dispatch(event));
            } catch (QmpProtocolException e) {
                end(e);
            }
        } else if (message.has("return") || message.has("error")) {
            callbacks.execute(() -> complete(message));
        } else {
            end(ServerMessages.protocol("neither reply nor event: " + ServerMessages.abbreviate(message)));
        }
    }

    /** Callback executor. */
    private void complete(ObjectNode reply) {
        PendingCall call = pending.take(PendingCalls.key(reply.get("id")));
        if (call == null) {
            return; // Cancelled or timed out: the late reply is dropped.
        }
        if (call.raw()) {
            call.future().complete(reply);
        } else if (reply.has("return")) {
            call.future().complete(reply.get("return"));
        } else {
            JsonNode error = reply.get("error");
            call.future()
                    .completeExceptionally(new QmpErrorResponseException(
                            call.command(),
                            error.path("class").asText(),
                            error.path("desc").asText()));
        }
    }

    /** Callback executor, the connection's last task. */
    private void failEverything(QmpClientException reason) {
        greeting.completeExceptionally(reason);
        for (PendingCall call : pending.drain()) {
            call.future().completeExceptionally(closedWhileWaiting(call, reason));
        }
        closed.complete(reason);
    }

    private static QmpClientException closedWhileWaiting(PendingCall call, QmpClientException reason) {
        String text = reason.getMessage() + " while waiting for the reply to " + call.describe();
        if (reason instanceof QmpProtocolException) {
            return new QmpProtocolException(text, reason);
        }
        return new QmpConnectionClosedException(text, reason);
    }
}
