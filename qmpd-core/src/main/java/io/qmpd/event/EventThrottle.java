package io.qmpd.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.monitor.QmpMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * QEMU's event rate limiting (spec 7; {@code monitor_qapi_event_queue_no_reenter}): for a
 * throttled event and key, the first event goes out at once and arms a timer; events arriving
 * while the timer runs replace each other (last one wins); when the timer fires the stored event,
 * if any, goes out and the timer is re-armed, otherwise the key's state is dropped. Events keep
 * the timestamp they were built with.
 *
 * <p>Thread-safe: emitters (dispatcher, loop) and the timer (wherever the {@link Scheduler} runs
 * it) serialize on the throttle's lock, and delivery happens under it, so the order of events of
 * one key is the order of delivery. Lock order: throttle lock, then a monitor's output lock.
 */
public final class EventThrottle {

    /** The timer the throttle runs on (the server's event loop; tests drive a virtual clock). */
    @FunctionalInterface
    public interface Scheduler {
        /** Runs {@code task} once, {@code delayMillis} from now, on any one thread. */
        void schedule(long delayMillis, Runnable task);
    }

    /** How one event type is limited: its period and the data member that keys it (or null). */
    public record Rule(long periodMillis, String keyMember) {}

    /** QEMU's table ({@code monitor_qapi_event_conf}). */
    public static final Map<String, Rule> QEMU_RULES = Map.of(
            "RTC_CHANGE", new Rule(1000, null),
            "BLOCK_IO_ERROR", new Rule(1000, "qom-path"),
            "WATCHDOG", new Rule(1000, null),
            "BALLOON_CHANGE", new Rule(1000, null),
            "QUORUM_REPORT_BAD", new Rule(1000, "node-name"),
            "QUORUM_FAILURE", new Rule(1000, null),
            "VSERPORT_CHANGE", new Rule(1000, "id"),
            "MEMORY_DEVICE_SIZE_CHANGE", new Rule(1000, "qom-path"),
            "HV_BALLOON_STATUS_REPORT", new Rule(1000, null));

    private record Key(String event, String key) {}

    /** Guarded by the throttle: the timer of this key is armed; {@code pending} waits for it. */
    private static final class State {
        QmpMessage pending;
    }

    private final Map<String, Rule> rules;
    private final Scheduler scheduler;
    /** Guarded by this. */
    private final Map<Key, State> states = new HashMap<>();

    public EventThrottle(Map<String, Rule> rules, Scheduler scheduler) {
        this.rules = Map.copyOf(rules);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Whether {@code name} with {@code data} is rate limited at all. */
    public boolean throttles(String name, ObjectNode data) {
        if (!rules.containsKey(name)) {
            return false;
        }
        // A BLOCK_IO_ERROR that stops the guest is never held back.
        return !(name.equals("BLOCK_IO_ERROR")
                && data != null
                && "stop".equals(data.path("action").asText(null)));
    }

    /** Delivers {@code message} now, later, or never (replaced), as QEMU's throttle would. */
    public synchronized void offer(String name, ObjectNode data, QmpMessage message, Consumer<QmpMessage> deliver) {
        if (!throttles(name, data)) {
            deliver.accept(message);
            return;
        }
        Rule rule = rules.get(name);
        Key key = new Key(name, keyOf(rule, data));
        State state = states.get(key);
        if (state != null) {
            state.pending = message; // last one wins
            return;
        }
        deliver.accept(message);
        states.put(key, new State());
        arm(key, rule, deliver);
    }

    private void arm(Key key, Rule rule, Consumer<QmpMessage> deliver) {
        scheduler.schedule(rule.periodMillis(), () -> fire(key, rule, deliver));
    }

    private synchronized void fire(Key key, Rule rule, Consumer<QmpMessage> deliver) {
        State state = states.get(key);
        if (state == null) {
            return;
        }
        if (state.pending == null) {
            states.remove(key);
            return;
        }
        QmpMessage next = state.pending;
        state.pending = null;
        deliver.accept(next);
        arm(key, rule, deliver);
    }

    private static String keyOf(Rule rule, ObjectNode data) {
        if (rule.keyMember() == null || data == null) {
            return null;
        }
        JsonNode v = data.get(rule.keyMember());
        return v == null ? null : v.asText();
    }
}
