package io.qmpd.machine;

import java.util.Optional;
import java.util.UUID;

/**
 * What the commands act on: a virtual machine's run state, name and UUID. Implementations are
 * confined to the dispatcher thread (qmpd's big lock) unless they say otherwise.
 */
public interface Machine {

    RunState runState();

    default boolean isRunning() {
        return runState() == RunState.RUNNING;
    }

    /** The {@code -name} of the machine, if one was given. */
    Optional<String> name();

    UUID uuid();

    /**
     * How many vCPUs the machine has (valid {@code cpu-index} values are below it). Default 0,
     * as QEMU's {@code -machine none}.
     */
    default int vcpuCount() {
        return 0;
    }

    /** Pauses a running machine (QEMU's {@code stop}); emits {@code STOP} if it was running. */
    void stop();

    /** Runs the machine (QEMU's {@code cont}); emits {@code RESUME} if it was not running. */
    void cont();
}
