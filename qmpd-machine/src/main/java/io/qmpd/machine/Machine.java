package io.qmpd.machine;

import io.qmpd.qapi.QmpException;
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

    /**
     * Runs the machine (QEMU's {@code cont}); emits {@code RESUME} if it was not running.
     *
     * @throws io.qmpd.qapi.QmpException QEMU's {@code Resetting the Virtual Machine is required}
     *                                   after a shutdown kept by {@code -no-shutdown}
     */
    void cont();

    /** QEMU's {@code system_reset}: emits {@code RESET}; a machine that was not running is in prelaunch after it. */
    default void systemReset() {
        throw QmpException.generic("this machine cannot be reset");
    }

    /** QEMU's {@code system_powerdown}: emits {@code POWERDOWN} and asks the guest to shut down. */
    default void systemPowerdown() {
        throw QmpException.generic("this machine cannot be powered down");
    }

    /** The QOM type of {@code /machine} ({@code none-machine} for QEMU's {@code -machine none}). */
    default String qomType() {
        return "none-machine";
    }

    /** {@code query-kvm}'s {@code present}: whether the accelerator is built in (it is in QEMU's x86 builds). */
    default boolean kvmPresent() {
        return true;
    }

    /** The host thread id {@code query-cpus-fast} reports for vCPU {@code index}. */
    default long vcpuThreadId(int index) {
        return ProcessHandle.current().pid() + 1 + index;
    }
}
