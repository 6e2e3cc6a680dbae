package io.qmpd.machine;

import io.qmpd.command.CommandRegistry;
import io.qmpd.qapi.Schema;
import io.qmpd.server.Backend;
import io.qmpd.server.BackendHost;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A machine as a server's back end: its commands ({@code stop}, {@code cont},
 * {@code query-status}, ...), declared in this module's schema files, act on a {@link Machine}
 * made for each server: a {@link SimulatedMachine}, or an embedder's own. Its schema files live
 * with qmpd's others in qmpd-qapi ({@link Schema#SIMULATED_MACHINE_RESOURCE}).
 */
public final class MachineBackend implements Backend {

    /** The top schema file of the machine's commands, events and types. */
    public static final String SCHEMA = Schema.SIMULATED_MACHINE_RESOURCE;

    private final Function<BackendHost, Machine> machines;

    private MachineBackend(Function<BackendHost, Machine> machines) {
        this.machines = machines;
    }

    /** A simulated machine with {@code config}'s options for each server. */
    public static MachineBackend simulated(SimulatedMachine.Config config) {
        Objects.requireNonNull(config, "config");
        return new MachineBackend(host -> new SimulatedMachine(config, host));
    }

    /** The machine {@code factory} makes for each server, given what it may ask of that server. */
    public static MachineBackend of(Function<BackendHost, Machine> factory) {
        return new MachineBackend(Objects.requireNonNull(factory, "factory"));
    }

    @Override
    public List<String> schemaResources() {
        return List.of(SCHEMA);
    }

    @Override
    public Attached attach(CommandRegistry.Builder commands, BackendHost host) {
        Machine machine = Objects.requireNonNull(machines.apply(host), "machine");
        MachineCommands.registerAll(commands, machine);
        MigrationCommands.registerAll(commands);
        return new Attached() {
            @Override
            public String machineQomType() {
                return machine.qomType();
            }
        };
    }
}
