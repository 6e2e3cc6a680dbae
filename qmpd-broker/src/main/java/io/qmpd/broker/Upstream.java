package io.qmpd.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.client.Greeting;
import io.qmpd.client.QmpClient;
import io.qmpd.client.QmpClientBuilder;
import io.qmpd.client.QmpClientException;
import io.qmpd.client.QmpEvent;
import io.qmpd.hmp.HmpCompletion;
import io.qmpd.json.QDictOrder;
import io.qmpd.qapi.ErrorClass;
import io.qmpd.qapi.QmpError;
import io.qmpd.qapi.QmpException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The one connection to QEMU's QMP monitor over which every session's commands travel.
 *
 * <p>A session's id never leaves qmpd. In-band commands go to QEMU without an id: QEMU answers
 * them in order, and reads its monitor's input one byte per main-loop turn, so every byte of a
 * command costs QEMU time (an id of 11 bytes added a third to {@code query-version}'s round trip).
 * Out-of-band commands, which overtake, get a short id of the broker's own. At most
 * {@link #WINDOW} in-band commands are in QEMU's hands at once, the rest wait here in the order
 * they were forwarded: QEMU suspends a monitor whose queue holds 8 requests, and a suspended
 * monitor reads no {@code exec-oob} either, so the window keeps out-of-band commands overtaking
 * as they do on a monitor of QEMU's own. Out-of-band commands are sent at once. A command that
 * carries descriptors goes alone ({@link #sendable}).
 *
 * <p>Replies and events are handed on in the order QEMU wrote them, on the client's reader
 * thread. QEMU often answers before the thread that sent a command has attached what the reply
 * must do; that thread would then run it itself, ahead of events QEMU wrote before the reply and
 * the reader already handed on. So a command is sent and its reply's action attached under
 * {@link #handOver}, which the reader also holds while it hands anything on. Thread-safe.
 */
final class Upstream implements AutoCloseable {

    /** In-band commands in QEMU's hands at once: one running plus QEMU's queue below its limit of 8. */
    static final int WINDOW = 8;

    private final QmpClient client;
    private final Greeting greeting;
    private final boolean oob;
    private final ArrayNode schema;
    /** Command name → whether QEMU allows it out of band. */
    private final Map<String, Boolean> commands;
    /** Tab completion of HMP lines, learnt from QEMU's {@code help}. */
    private final HmpCompletion hmpCompletion;
    /** QEMU's commands in the order of its {@code query-commands}. */
    private final List<String> commandNames;
    /** The label of QEMU's chardev this connection is the client of, when it can be told. */
    private final Optional<String> ownChardev;
    /** The labels of QEMU's other chardevs when qmpd connected, in QEMU's order. */
    private final List<String> chardevs;

    private final AtomicLong ids = new AtomicLong();
    /** Held while the reader hands a reply or an event on, and while a command is sent. */
    private final Object handOver;

    /** A command on its way to QEMU. */
    private record Outgoing(
            ObjectNode message, FileDescriptor[] fds, CompletableFuture<JsonNode> result, boolean inBand) {}

    private final Object windowLock = new Object();
    /** Guarded by windowLock: in-band commands in QEMU's hands. */
    private int inFlight;
    /** Guarded by windowLock: a command with descriptors is in QEMU's hands, and it alone. */
    private boolean alone;
    /** Guarded by windowLock: in-band commands waiting for room in the window, or for one with descriptors. */
    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
    /** Guarded by windowLock: out-of-band commands held while a command with descriptors is in QEMU's hands. */
    private final ArrayDeque<Outgoing> held = new ArrayDeque<>();

    private Upstream(
            QmpClient client,
            Object handOver,
            ArrayNode schema,
            ArrayNode commandList,
            HmpCompletion hmpCompletion,
            Optional<String> ownChardev,
            List<String> chardevs) {
        this.client = client;
        this.handOver = handOver;
        this.ownChardev = ownChardev;
        this.chardevs = List.copyOf(chardevs);
        this.hmpCompletion = hmpCompletion;
        this.greeting = client.greeting();
        this.oob = client.enabledCapabilities().contains("oob");
        this.schema = schema;
        Map<String, Boolean> byName = new HashMap<>();
        for (JsonNode entry : schema) {
            if ("command".equals(entry.path("meta-type").asText())) {
                byName.put(entry.path("name").asText(), entry.path("allow-oob").asBoolean(false));
            }
        }
        List<String> names = new ArrayList<>();
        for (JsonNode entry : commandList) {
            names.add(entry.path("name").asText());
        }
        this.commands = Map.copyOf(byName);
        this.commandNames = List.copyOf(names);
    }

    /**
     * Connects with {@code builder}'s endpoint, reads the greeting, negotiates ({@code oob} when
     * QEMU offers it) and reads QEMU's schema.
     *
     * @throws IOException the socket cannot be connected, or what answers is not a QEMU monitor
     */
    static Upstream connect(QmpClientBuilder builder) throws IOException {
        // Replies and events are handed on by the reader thread itself, one hand-over fewer per
        // command: what runs there only queues work for the dispatcher, completes an out-of-band
        // reply (a non-blocking write), or sends the next command of the window.
        Object handOver = new Object();
        QmpClient client = builder.negotiate(true)
                .oob(true)
                .noCommandTimeout()
                .callbackExecutor(task -> {
                    synchronized (handOver) {
                        task.run();
                    }
                })
                .build();
        try {
            client.connect();
            JsonNode schema = client.execute("query-qmp-schema").join();
            JsonNode commands = client.execute("query-commands").join();
            if (!(schema instanceof ArrayNode schemaList) || !(commands instanceof ArrayNode commandList)) {
                throw new IOException("query-qmp-schema or query-commands answered with no list: not a QEMU monitor");
            }
            HmpCompletion completion = HmpCompletion.fromHelp(hmp(client, "help"), hmp(client, "help info"));
            // QEMU names a unix server socket with a client "unix:PATH,server=on"
            Optional<String> own = client.unixPath().map(path -> "unix:" + path + ",server=on");
            Optional<String> ownLabel = Optional.empty();
            List<String> chardevs = new ArrayList<>();
            for (JsonNode chardev : client.execute("query-chardev").join()) {
                if (own.isPresent() && own.get().equals(chardev.path("filename").asText())) {
                    ownLabel = Optional.of(chardev.path("label").asText());
                } else {
                    chardevs.add(chardev.path("label").asText());
                }
            }
            return new Upstream(client, handOver, schemaList, commandList, completion, ownLabel, chardevs);
        } catch (QmpClientException | CompletionException e) {
            client.close();
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            throw new IOException(cause.getMessage(), cause);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** What QEMU's HMP prints for {@code line}. */
    private static String hmp(QmpClient client, String line) {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode().put("command-line", line);
        return client.execute("human-monitor-command", arguments).join().asText();
    }

    Greeting greeting() {
        return greeting;
    }

    /** Whether {@code oob} was negotiated with QEMU. */
    boolean oob() {
        return oob;
    }

    /** QEMU's {@code query-qmp-schema} answer. */
    ArrayNode schema() {
        return schema;
    }

    /**
     * Whether {@code label} is QEMU's chardev whose client this connection is (found by its
     * socket's path; never for a connection qmpd was given connected): qmpd's, not one a session
     * should see.
     */
    boolean isOwnChardev(String label) {
        return ownChardev.isPresent() && ownChardev.get().equals(label);
    }

    /** The labels of QEMU's chardevs when qmpd connected, in QEMU's order, without its own ({@link #isOwnChardev}). */
    List<String> chardevs() {
        return chardevs;
    }

    HmpCompletion hmpCompletion() {
        return hmpCompletion;
    }

    List<String> commandNames() {
        return commandNames;
    }

    boolean allowsOob(String name) {
        return oob && commands.getOrDefault(name, false);
    }

    /** Hands every event QEMU sends, as QEMU wrote it, to {@code sink} (the callback thread). */
    void onEvent(Consumer<ObjectNode> sink) {
        client.addEventListener(
                (QmpEvent event) -> sink.accept((ObjectNode) QDictOrder.keepingPrintedOrder(event.message())));
    }

    /** Completes, after every reply and event before it was handed on, when the connection has ended. */
    CompletableFuture<QmpClientException> closed() {
        return client.disconnected();
    }

    /**
     * Sends {@code name} with {@code arguments} (as the session sent them; null for none) and
     * {@code fds} (null for none; they stay the caller's, and have been written by the time
     * {@code answered} runs).
     * {@code answered} gets the {@code return} value, or a {@link QmpException} carrying QEMU's
     * error, on the reader thread in the order QEMU wrote the reply among events; it is never
     * called if the connection ends first (a client of QEMU's own gets no reply then either).
     */
    void forward(
            String name,
            JsonNode arguments,
            boolean outOfBand,
            FileDescriptor[] fds,
            BiConsumer<? super JsonNode, ? super Throwable> answered) {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put(outOfBand ? "exec-oob" : "execute", name);
        if (arguments != null) {
            message.set("arguments", arguments);
        }
        if (outOfBand) {
            message.set("id", LongNode.valueOf(ids.incrementAndGet()));
        }
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        result.whenComplete(answered);
        Outgoing outgoing = new Outgoing(message, fds, result, !outOfBand || fds != null);
        synchronized (handOver) {
            List<Outgoing> ready;
            synchronized (windowLock) {
                (outgoing.inBand() ? waiting : held).add(outgoing);
                ready = sendable();
            }
            ready.forEach(this::send);
        }
    }

    /**
     * Guarded by windowLock: what may go to QEMU now, in order. Out-of-band commands go at once,
     * in-band ones while the window has room. A command with descriptors goes alone: only once
     * QEMU has answered everything before it, and nothing follows it until QEMU has answered it.
     * QEMU 7.2's socket chardev reads descriptors on its I/O thread into a field that the main
     * thread empties when a command takes them, without a lock between the two: a read while
     * {@code getfd} runs can crash QEMU (docs/broker.md).
     */
    private List<Outgoing> sendable() {
        List<Outgoing> out = new ArrayList<>();
        if (alone) {
            return out;
        }
        out.addAll(held);
        held.clear();
        while (!waiting.isEmpty()) {
            Outgoing next = waiting.peek();
            if (next.fds() != null) {
                if (inFlight > 0 || !out.isEmpty()) {
                    break;
                }
                alone = true;
            } else if (inFlight >= WINDOW) {
                break;
            }
            waiting.poll();
            inFlight++;
            out.add(next);
            if (alone) {
                break;
            }
        }
        return out;
    }

    /** Holding {@link #handOver}: writes {@code outgoing} to QEMU. */
    private void send(Outgoing outgoing) {
        CompletableFuture<JsonNode> reply;
        try {
            reply = outgoing.fds() == null
                    ? client.executeRaw(outgoing.message())
                    : client.executeRaw(outgoing.message(), outgoing.fds());
        } catch (IllegalStateException disconnected) {
            return; // the connection ended: no reply, as on QEMU; the broker ends the run
        }
        reply.whenComplete((answer, failure) -> answered(outgoing, answer, failure));
    }

    /** The reader thread, holding {@link #handOver}: QEMU answered a forwarded command. */
    private void answered(Outgoing outgoing, JsonNode answer, Throwable failure) {
        if (outgoing.inBand()) {
            List<Outgoing> ready;
            synchronized (windowLock) {
                inFlight--;
                if (outgoing.fds() != null) {
                    alone = false;
                }
                ready = sendable();
            }
            ready.forEach(this::send);
        }
        if (failure == null) {
            complete(outgoing.result(), answer);
        }
    }

    private static void complete(CompletableFuture<JsonNode> result, JsonNode reply) {
        if (reply.has("return")) {
            result.complete(QDictOrder.keepingPrintedOrder(reply.get("return")));
            return;
        }
        JsonNode error = reply.path("error");
        result.completeExceptionally(new QmpException(new QmpError(
                errorClass(error.path("class").asText()), error.path("desc").asText())));
    }

    /** QEMU's class; an unknown one (none in QEMU 2.x to 11.x) as GenericError. */
    private static ErrorClass errorClass(String name) {
        for (ErrorClass c : ErrorClass.values()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return ErrorClass.GenericError;
    }

    @Override
    public void close() {
        client.close();
    }
}
