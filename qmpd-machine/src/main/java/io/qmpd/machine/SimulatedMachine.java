package io.qmpd.machine;

import io.qmpd.event.ShutdownCause;
import io.qmpd.qapi.QmpException;
import io.qmpd.server.BackendHost;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A machine with a simulated guest and nothing else: QEMU's run states and transitions
 * ({@code prelaunch} with {@code -S}, {@code running}, {@code paused}, {@code shutdown}), its
 * events with QEMU's data, and a guest that answers {@code system_powerdown} by shutting down
 * after {@link Config#powerdownDelay()}; a machine without vCPUs (QEMU's {@code -machine none})
 * has no guest, and the button only emits {@code POWERDOWN}. A guest shutdown ends the run (the
 * server closes) unless {@link Config#noShutdown()}, which keeps the machine in {@code shutdown} as QEMU's
 * {@code -no-shutdown} does. Confined to the dispatcher thread.
 */
public final class SimulatedMachine implements Machine {

    /** QEMU's UUID when none is given. */
    public static final UUID NIL_UUID = new UUID(0, 0);

    /**
     * The machine's options.
     *
     * @param name           {@code -name}, or null
     * @param vcpus          vCPUs ({@code -smp}; 0 for {@code -machine none}, as QEMU)
     * @param noShutdown     {@code -no-shutdown}: a guest shutdown stops the machine instead of ending the run
     * @param powerdownDelay how long the simulated guest takes to shut down after {@code system_powerdown}
     */
    public record Config(
            boolean startPaused, String name, UUID uuid, int vcpus, boolean noShutdown, Duration powerdownDelay) {

        /** Half a second: long enough to watch {@code POWERDOWN} and {@code SHUTDOWN} apart. */
        public static final Duration DEFAULT_POWERDOWN_DELAY = Duration.ofMillis(500);

        public Config {
            Objects.requireNonNull(uuid, "uuid");
            Objects.requireNonNull(powerdownDelay, "powerdownDelay");
            if (vcpus < 0) {
                throw new IllegalArgumentException("vcpus: " + vcpus + " (expected: >= 0)");
            }
        }

        /** QEMU's defaults: running, no name, nil UUID, 1 vCPU. */
        public static Config defaults() {
            return new Config(false, null, NIL_UUID, 1, false, DEFAULT_POWERDOWN_DELAY);
        }
    }

    private final Config config;
    private final BackendHost host;
    private RunState state;
    /** A powerdown the guest has not answered yet (it answers only while running). */
    private boolean powerdownPending;

    private boolean powerdownScheduled;

    public SimulatedMachine(Config config, BackendHost host) {
        this.config = Objects.requireNonNull(config, "config");
        this.host = Objects.requireNonNull(host, "host");
        this.state = config.startPaused() ? RunState.PRELAUNCH : RunState.RUNNING;
    }

    @Override
    public RunState runState() {
        return state;
    }

    @Override
    public Optional<String> name() {
        return Optional.ofNullable(config.name());
    }

    @Override
    public UUID uuid() {
        return config.uuid();
    }

    @Override
    public int vcpuCount() {
        return config.vcpus();
    }

    @Override
    public void stop() {
        if (state == RunState.RUNNING) {
            state = RunState.PAUSED;
            host.events().emit("STOP");
        }
    }

    @Override
    public void cont() {
        if (state == RunState.SHUTDOWN) {
            throw QmpException.generic("Resetting the Virtual Machine is required");
        }
        if (state != RunState.RUNNING) {
            state = RunState.RUNNING;
            host.events().emit("RESUME");
            schedulePowerdown();
        }
    }

    /** QEMU: RESET with the host's reason; a machine not running afterwards is in prelaunch. */
    @Override
    public void systemReset() {
        host.events().emit("RESET", ShutdownCause.HOST_QMP_SYSTEM_RESET.eventData());
        powerdownPending = false;
        if (state != RunState.RUNNING) {
            state = RunState.PRELAUNCH;
        }
    }

    @Override
    public void systemPowerdown() {
        host.events().emit("POWERDOWN");
        if (config.vcpus() == 0) {
            return; // -machine none: no guest, nothing answers the button (QEMU keeps running)
        }
        powerdownPending = true;
        schedulePowerdown();
    }

    private void schedulePowerdown() {
        if (powerdownPending && !powerdownScheduled && state == RunState.RUNNING) {
            powerdownScheduled = true;
            host.schedule(config.powerdownDelay(), this::guestShutdown);
        }
    }

    /** The simulated guest has finished shutting down (or waits, when paused meanwhile). */
    private void guestShutdown() {
        powerdownScheduled = false;
        if (!powerdownPending || state != RunState.RUNNING) {
            return; // reset since, or paused: answered after the next cont
        }
        powerdownPending = false;
        host.events().emit("SHUTDOWN", ShutdownCause.GUEST_SHUTDOWN.eventData());
        if (config.noShutdown()) {
            state = RunState.SHUTDOWN;
            host.events().emit("STOP");
        } else {
            host.exit();
        }
    }
}
