package io.qmpd.server;

import io.qmpd.command.CommandRegistry;
import io.qmpd.machine.Machine;
import io.qmpd.machine.MachineHost;
import io.qmpd.monitor.VersionInfo;
import io.qmpd.qapi.Schema;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/** The frozen configuration a {@link QmpServerBuilder} produces. */
record QmpServerConfig(VersionInfo version, Schema schema, Clock clock,
                       Function<MachineHost, Machine> machineFactory,
                       Consumer<CommandRegistry.Builder> extraCommands, Set<String> pendingCommands,
                       int maxChardevs, int maxMonitors, long ioPollMaxNanos, long ringbufMemoryLimit,
                       long inputMemoryLimit, long namesMemoryLimit) {

    QmpServerConfig {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(machineFactory, "machineFactory");
        Objects.requireNonNull(extraCommands, "extraCommands");
        pendingCommands = Set.copyOf(pendingCommands);
    }
}
