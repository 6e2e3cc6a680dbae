package io.qmpd.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.chardev.Chardev;
import io.qmpd.io.NameMemory;
import io.qmpd.json.JsonLimits;
import io.qmpd.json.JsonStreamer;
import io.qmpd.json.MemoryBound;
import io.qmpd.json.QmpJsonWriter;
import io.qmpd.qapi.QmpError;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A QMP monitor (QEMU's {@code MonitorQMP}): greets each client, parses its input, runs
 * {@code exec-oob} requests at once on the event loop, queues everything else (parse errors too)
 * for the {@link Dispatcher}, and writes replies and events. An in-band request for an
 * {@link CommandDispatch#mayRunInline inline} command, read while nothing of this monitor is
 * queued or running and the dispatcher is idle, runs at once on the loop in the dispatcher's
 * place ({@link Dispatcher#runIfIdle}).
 *
 * <p>Flow control as QEMU's (spec 4.2/4.3): without OOB the monitor stops reading after each
 * queued request until that request has been answered; with OOB it stops when
 * {@value #QUEUE_MAX} requests are queued and resumes as soon as a pop leaves fewer. "Stop
 * reading" means leaving the rest of the input unconsumed in {@link #received}; the chardev keeps
 * it and offers it again after {@link Chardev#acceptInput()}.
 *
 * <p>The parts, by concern: the input (the JSON streamer and the inline budget, confined to the
 * chardev's loop thread), the {@link RequestQueue} (flow control; the loop pushes, the dispatcher
 * pops), and the {@link QmpSession} (negotiation, capabilities, and the ordered writes of
 * replies and events, so a reply of an old session never reaches the next client).
 */
public final class QmpMonitor extends Monitor {

    private static final Logger log = LoggerFactory.getLogger(QmpMonitor.class);

    /** QEMU's QMP_REQ_QUEUE_LEN_MAX. */
    public static final int QUEUE_MAX = 8;

    /** A queued request: a parsed value, or a parse error to answer in band. */
    private record QmpRequest(long session, JsonNode value, String parseError) {}

    private final boolean pretty;
    private final Dispatcher dispatcher;
    private final CommandDispatch commands;
    private final ObjectNode version;
    private final boolean offersOob;
    /** Loop thread only. */
    private final JsonStreamer streamer;
    /** This monitor's client, as commands see it. */
    private final Caller asCaller = new Caller.Client(this);
    /**
     * Loop thread only: inline runs left in this read. A client pipelining a burst gets at most
     * this many answered on the loop before the rest queue for the dispatcher, fair among monitors.
     */
    private int inlineBudget;

    private final RequestQueue<QmpRequest> requests =
            new RequestQueue<>(r -> r.parseError() == null && isCommandMode() && pipelines(r.value()));
    private final QmpSession session;
    /** Runs on the loop thread whenever a client leaves (close-action=delete); set before attach. */
    private volatile Runnable clientLeft;

    /**
     * What every QMP monitor of a server shares.
     *
     * @param greeting    what the greeting says
     * @param dispatcher  the server's dispatcher
     * @param commands    what runs the requests
     * @param inputMemory what the partial input of all monitors may hold together
     * @param names       what the names of {@code getfd} descriptors are charged to
     */
    public record Shared(
            Greeting greeting,
            Dispatcher dispatcher,
            CommandDispatch commands,
            MemoryBound inputMemory,
            NameMemory names) {

        public Shared {
            Objects.requireNonNull(greeting, "greeting");
            Objects.requireNonNull(dispatcher, "dispatcher");
            Objects.requireNonNull(commands, "commands");
            Objects.requireNonNull(inputMemory, "inputMemory");
            Objects.requireNonNull(names, "names");
        }
    }

    public QmpMonitor(String id, Chardev chardev, boolean dynamic, boolean pretty, Shared shared) {
        super(id, chardev, dynamic, shared.names());
        this.session = new QmpSession(chardev);
        this.pretty = pretty;
        this.version = shared.greeting().version().toJson();
        this.offersOob = shared.greeting().offersOob();
        this.dispatcher = shared.dispatcher();
        this.commands = shared.commands();
        this.streamer = new JsonStreamer(JsonLimits.QEMU, shared.inputMemory(), new JsonStreamer.Listener() {
            @Override
            public void onValue(JsonNode value) {
                handle(value, null);
            }

            @Override
            public void onError(String desc) {
                handle(null, desc);
            }
        });
    }

    @Override
    public MonitorMode mode() {
        return MonitorMode.control;
    }

    public boolean pretty() {
        return pretty;
    }

    /** The current session: a number that changes whenever a client connects or leaves. */
    public long session() {
        return session.id();
    }

    /** Whether capabilities negotiation is complete (the full command table is in use). */
    public boolean isCommandMode() {
        return session.commandMode();
    }

    public boolean oobEnabled() {
        return session.oobEnabled();
    }

    /**
     * Whether the greeting offers {@code oob}: if the server does, on chardevs that can be served
     * from the I/O thread.
     */
    public boolean oobOffered() {
        return offersOob && chardev().supportsIoThread();
    }

    /**
     * {@code qmp_capabilities} succeeded: switch to command mode with the accepted capabilities.
     * Returns false (and changes nothing) if the client of {@code requestSession} has gone.
     */
    public boolean negotiate(long requestSession, boolean oob) {
        return session.negotiate(requestSession, oob);
    }

    /**
     * {@code close-action=delete}: {@code action} runs on the loop thread each time a client
     * leaves (it should hand the deletion to the dispatcher). Call before the monitor is attached.
     */
    public void onClientLeft(Runnable action) {
        clientLeft = Objects.requireNonNull(action, "action");
    }

    // ---- chardev callbacks (loop thread) ----

    @Override
    public void opened() {
        ArrayNode caps = JsonNodeFactory.instance.arrayNode();
        if (oobOffered()) {
            caps.add("oob");
        }
        ObjectNode qmp = JsonNodeFactory.instance.objectNode();
        qmp.set("version", version);
        qmp.set("capabilities", caps);
        ObjectNode greeting = JsonNodeFactory.instance.objectNode();
        greeting.set("QMP", qmp);
        session.open(QmpJsonWriter.message(greeting, pretty));
    }

    @Override
    public void closed() {
        session.close();
        streamer.reset();
        requests.clear(); // dropped without replies, as QEMU does
        if (requests.takeOwedResume(oobEnabled())) {
            resumeInput();
        }
        Runnable left = clientLeft;
        if (left != null) {
            left.run();
        }
    }

    @Override
    public void received(ByteBuffer input) {
        inlineBudget = QUEUE_MAX;
        while (input.hasRemaining()) {
            if (requests.holdInput(oobEnabled())) {
                return;
            }
            streamer.feed(input);
        }
    }

    /** Streamer callback (loop thread). */
    private void handle(JsonNode value, String parseError) {
        long s = session.id();
        if (value != null && isOob(value)) {
            // QEMU's qmp_is_oob(): dispatched at once in the reading thread, even when OOB is not
            // enabled (the envelope check then rejects 'exec-oob' as unexpected).
            dispatchSafely(value, s).thenAccept(reply -> respond(s, reply));
            return;
        }
        QmpRequest req = new QmpRequest(s, value, parseError);
        if (value != null
                && inlineBudget > 0
                && requests.idle()
                && commands.mayRunInline(value)
                && dispatcher.runIfIdle(this, () -> runHereOrQueue(req))) {
            return;
        }
        enqueue(req);
    }

    /**
     * Holding the big lock in the dispatcher's place: runs an inline request now (in order:
     * nothing of this monitor is queued or running), or queues any other.
     */
    private void runHereOrQueue(QmpRequest req) {
        if (commands.runsInline(req.value())) {
            inlineBudget--;
            requests.startInline(); // as takeJob does: nothing else of this monitor runs before the reply
            execute(req);
        } else {
            enqueue(req);
        }
    }

    private void enqueue(QmpRequest req) {
        requests.add(req);
        dispatcher.wake(this);
    }

    private boolean pipelines(JsonNode request) {
        return commands.pipelines(request);
    }

    private static boolean isOob(JsonNode value) {
        return value.isObject() && value.has("exec-oob") && !value.has("execute");
    }

    // ---- dispatcher side ----

    @Override
    protected Runnable takeJob() {
        QmpRequest req = requests.pop(); // null too while a command that answers later waits (and may not be followed)
        if (req == null) {
            return null;
        }
        if (requests.takeOwedResume(oobEnabled())) {
            resumeInput();
        }
        return () -> execute(req);
    }

    @Override
    protected boolean hasJobs() {
        return requests.hasRunnable();
    }

    /**
     * Holding the big lock: runs one request. A reply complete at once is written and the request
     * ends here; one that completes later is written, and its after-reply actions run, on the
     * dispatcher when it does, and only then may this monitor's next request run.
     */
    private void execute(QmpRequest req) {
        CompletionStage<QmpReply> reply = req.parseError() != null
                ? CompletableFuture.completedFuture(
                        QmpReply.of(QmpResponse.error(QmpError.generic(req.parseError()), null)))
                : dispatchSafely(req.value(), req.session());
        CompletableFuture<QmpReply> now = reply.toCompletableFuture();
        if (now.isDone()) {
            finish(req, now.join());
        } else {
            // the monitor may have been removed meanwhile: its client, still connected until the
            // removal's disconnect runs on the loop, must not get the reply (the actions still run).
            // Completed holding the big lock, it is written at once: a task the completing side
            // handed over after it (an event) must not overtake it.
            reply.thenAccept(later -> dispatcher.runOrExecute(
                    () -> finish(req, isRemoved() ? new QmpReply(null, later.afterReply()) : later)));
        }
    }

    private void finish(QmpRequest req, QmpReply reply) {
        try {
            respond(req.session(), reply);
        } finally {
            if (requests.finish()) {
                dispatcher.wake(this);
            }
            if (requests.takeOwedResume(oobEnabled())) {
                resumeInput();
            }
        }
    }

    private CompletionStage<QmpReply> dispatchSafely(JsonNode value, long s) {
        try {
            return commands.dispatch(asCaller, value, s);
        } catch (RuntimeException e) {
            log.error("{}: dispatch failed", this, e);
            return CompletableFuture.completedFuture(
                    QmpReply.of(QmpResponse.error(QmpError.generic(String.valueOf(e.getMessage())), null)));
        }
    }

    // ---- output (any thread) ----

    private void respond(long requestSession, QmpReply reply) {
        if (reply.response() != null) {
            byte[] bytes;
            try {
                bytes = QmpJsonWriter.message(reply.response(), pretty);
            } catch (RuntimeException e) {
                // a reply past the writer's 2 GiB, say: the request is still answered
                log.warn("{}: reply cannot be written", this, e);
                bytes = QmpJsonWriter.message(
                        QmpResponse.error(
                                QmpError.generic("cannot send the reply: " + e.getMessage()),
                                reply.response().get("id")),
                        pretty);
            }
            session.reply(requestSession, bytes);
        }
        for (Runnable action : reply.afterReply()) {
            action.run();
        }
    }

    /** Writes an event if the client finished negotiation; events are never buffered. */
    public void sendEvent(QmpMessage event) {
        if (session.wantsEvents()) {
            session.event(event.bytes(pretty));
        }
    }

    // ---- removal ----

    @Override
    protected void retire() {
        session.retire();
    }

    @Override
    protected void dropInput() {
        streamer.reset();
        requests.drop(); // never answered, never run; the client, dropped next, takes its kept input along
    }

    private void resumeInput() {
        chardev().acceptInput();
    }
}
