package io.qmpd.event;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.monitor.Monitor;
import io.qmpd.monitor.QmpMessage;
import io.qmpd.monitor.QmpMonitor;
import io.qmpd.qapi.Schema;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The server's {@link EventBroadcaster} (QEMU's {@code monitor_qapi_event_emit}): checks the data
 * against the schema, stamps the wall-clock time, and writes the event to every QMP monitor whose
 * client finished negotiation. Writing is synchronous, so an event a command emits precedes that
 * command's reply.
 */
public final class MonitorEvents implements EventBroadcaster {

    private final Schema schema;
    private final Clock clock;
    private final Supplier<? extends Iterable<? extends Monitor>> monitors;
    /** Null: no rate limiting. */
    private final EventThrottle throttle;
    /** Per thread: events emitted while this thread is emitting wait here (QEMU's re-entrancy queue). */
    private final ThreadLocal<ArrayDeque<Runnable>> reentered = new ThreadLocal<>();

    /**
     * @param monitors the server's current monitors (a snapshot per call; safe to iterate while
     *                 monitors come and go)
     */
    public MonitorEvents(Schema schema, Clock clock, Supplier<? extends Iterable<? extends Monitor>> monitors) {
        this(schema, clock, monitors, null);
    }

    /** @param throttle QEMU's rate limiting of some events, or null for none */
    public MonitorEvents(
            Schema schema,
            Clock clock,
            Supplier<? extends Iterable<? extends Monitor>> monitors,
            EventThrottle throttle) {
        this.throttle = throttle;
        this.schema = Objects.requireNonNull(schema, "schema");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.monitors = Objects.requireNonNull(monitors, "monitors");
    }

    @Override
    public void emit(String name, ObjectNode data) {
        Schema.Event event = schema.event(name)
                .orElseThrow(
                        () -> new IllegalArgumentException("event: " + name + " (expected: declared in the schema)"));
        schema.checkEventData(event, data == null ? JsonNodeFactory.instance.objectNode() : data);
        QmpMessage message = new QmpMessage(build(name, data, clock.instant()));
        Runnable send = throttle == null
                ? () -> broadcast(message)
                : () -> throttle.offer(name, data, message, this::broadcast);
        deliver(send);
    }

    @Override
    public void relay(ObjectNode event) {
        QmpMessage message = new QmpMessage(Objects.requireNonNull(event, "event"));
        deliver(() -> broadcast(message));
    }

    /** Runs {@code send} now, or after the event this thread is emitting (QEMU's order). */
    private void deliver(Runnable send) {
        ArrayDeque<Runnable> queue = reentered.get();
        if (queue != null) {
            queue.add(send); // emitted while emitting: sent after the outer event
            return;
        }
        queue = new ArrayDeque<>();
        reentered.set(queue);
        try {
            for (Runnable next = send; next != null; next = queue.poll()) {
                next.run();
            }
        } finally {
            reentered.remove();
        }
    }

    private void broadcast(QmpMessage message) {
        for (Monitor m : monitors.get()) {
            if (m instanceof QmpMonitor qmp) {
                qmp.sendEvent(message);
            }
        }
    }

    /** {@code {"timestamp": {"seconds", "microseconds"}, "event", "data"?}} inserted as QEMU does. */
    static ObjectNode build(String name, ObjectNode data, Instant now) {
        ObjectNode msg = JsonNodeFactory.instance.objectNode();
        msg.put("event", name);
        ObjectNode ts = msg.putObject("timestamp");
        ts.put("seconds", now.getEpochSecond());
        ts.put("microseconds", now.getNano() / 1000);
        if (data != null) {
            msg.set("data", data);
        }
        return msg;
    }
}
