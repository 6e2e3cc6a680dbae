package io.qmpd.machine;

import io.qmpd.event.EventBroadcaster;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A machine with nothing inside: it only has a run state (prelaunch with {@code -S}, else
 * running), a name and a UUID, and emits QEMU's {@code STOP}/{@code RESUME} events. The full
 * simulated machine is a later piece of work. Confined to the dispatcher thread.
 */
public final class SimulatedMachine implements Machine {

    /** QEMU's UUID when none is given. */
    public static final UUID NIL_UUID = new UUID(0, 0);

    private final String name;
    private final UUID uuid;
    private final EventBroadcaster events;
    private RunState state;

    public SimulatedMachine(boolean startPaused, String name, UUID uuid, EventBroadcaster events) {
        this.name = name;
        this.uuid = Objects.requireNonNull(uuid, "uuid");
        this.events = Objects.requireNonNull(events, "events");
        this.state = startPaused ? RunState.PRELAUNCH : RunState.RUNNING;
    }

    @Override
    public RunState runState() {
        return state;
    }

    @Override
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    @Override
    public UUID uuid() {
        return uuid;
    }

    @Override
    public void stop() {
        if (state == RunState.RUNNING) {
            state = RunState.PAUSED;
            events.emit("STOP");
        }
    }

    @Override
    public void cont() {
        if (state != RunState.RUNNING) {
            state = RunState.RUNNING;
            events.emit("RESUME");
        }
    }
}
