package io.qmpd.machine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmpd.command.CommandRegistry;
import io.qmpd.command.NoArgs;
import io.qmpd.command.QomCommands;
import io.qmpd.command.QomTree;
import io.qmpd.qapi.QmpException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine commands: {@code stop}, {@code cont}, {@code system_reset}, {@code system_powerdown},
 * {@code query-status}, {@code query-name}, {@code query-uuid}, {@code query-kvm},
 * {@code query-cpus-fast}, {@code query-machines}, {@code device_del}. Each is registered only if
 * the schema declares it; all act on one {@link Machine}.
 */
final class MachineCommands {

    /** {@code query-status} reply (QAPI StatusInfo). */
    public record StatusInfo(boolean running, boolean singlestep, RunState status) {}

    /** {@code query-name} reply: {@code {}} without a name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NameInfo(String name) {}

    /** {@code query-uuid} reply. */
    public record UuidInfo(@JsonProperty("UUID") String uuid) {}

    /** {@code query-kvm} reply. */
    public record KvmInfo(boolean enabled, boolean present) {}

    /** {@code CpuInstanceProperties} of an x86 vCPU of {@code -smp N} (N sockets of one core, one thread). */
    public record CpuProps(
            @JsonProperty("socket-id") long socketId,
            @JsonProperty("core-id") long coreId,
            @JsonProperty("thread-id") long threadId) {}

    /** One {@code query-cpus-fast} entry. */
    public record CpuInfoFast(
            @JsonProperty("cpu-index") long cpuIndex,
            @JsonProperty("qom-path") String qomPath,
            @JsonProperty("thread-id") long threadId,
            CpuProps props,
            String target) {}

    /** {@code device_del} arguments. */
    public record DeviceId(String id) {}

    /** QEMU 7.2's x86_64 machine types, in the order it lists them. */
    static final String MACHINES_RESOURCE = "/io/qmpd/machine/machines-x86_64.json";

    private MachineCommands() {}

    /** Commands that only read the machine: run on the loop when the dispatcher is idle. */
    private static final List<String> INLINE =
            List.of("query-status", "query-name", "query-uuid", "query-kvm", "query-cpus-fast");

    static void registerAll(CommandRegistry.Builder builder, Machine machine) {
        builder.registerIfDeclared("stop", NoArgs.class, (ctx, args) -> {
            machine.stop();
            return null;
        });
        builder.registerIfDeclared("cont", NoArgs.class, (ctx, args) -> {
            machine.cont();
            return null;
        });
        builder.registerIfDeclared("system_reset", NoArgs.class, (ctx, args) -> {
            machine.systemReset();
            return null;
        });
        builder.registerIfDeclared("system_powerdown", NoArgs.class, (ctx, args) -> {
            machine.systemPowerdown();
            return null;
        });
        builder.registerIfDeclared(
                "query-status",
                NoArgs.class,
                (ctx, args) -> new StatusInfo(machine.isRunning(), false, machine.runState()));
        builder.registerIfDeclared(
                "query-name",
                NoArgs.class,
                (ctx, args) -> new NameInfo(machine.name().orElse(null)));
        builder.registerIfDeclared(
                "query-uuid",
                NoArgs.class,
                (ctx, args) -> new UuidInfo(machine.uuid().toString()));
        builder.registerIfDeclared("query-kvm", NoArgs.class, (ctx, args) -> new KvmInfo(false, machine.kvmPresent()));
        builder.registerIfDeclared("query-cpus-fast", NoArgs.class, (ctx, args) -> cpus(machine));
        MachineTypes machines = new MachineTypes(); // read at the first call: parsing it needs Jackson's databind
        builder.registerIfDeclared(
                "query-machines", NoArgs.class, (ctx, args) -> machines.get().deepCopy());
        builder.registerIfDeclared("device_del", DeviceId.class, (ctx, args) -> {
            // the simulated machine has no devices: whatever the id names is not one
            if (QomCommands.tree(ctx).resolveDevice(args.id()).isPresent()) {
                throw QmpException.generic(args.id() + " is not a hotpluggable device");
            }
            throw QomTree.notFound(args.id());
        });
        builder.inline(INLINE.stream()
                .filter(name -> builder.schema().command(name).isPresent())
                .toList());
    }

    private static List<CpuInfoFast> cpus(Machine machine) {
        List<CpuInfoFast> out = new ArrayList<>();
        for (int i = 0; i < machine.vcpuCount(); i++) {
            out.add(new CpuInfoFast(
                    i,
                    "/machine/unattached/device[" + i + "]",
                    machine.vcpuThreadId(i),
                    new CpuProps(i, 0, 0),
                    "x86_64"));
        }
        return out;
    }

    /** The machine list, read once at its first use. */
    private static final class MachineTypes {
        private JsonNode loaded;

        synchronized JsonNode get() {
            if (loaded == null) {
                loaded = loadMachines();
            }
            return loaded;
        }
    }

    private static JsonNode loadMachines() {
        try (InputStream in = MachineCommands.class.getResourceAsStream(MACHINES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("state: resource " + MACHINES_RESOURCE + " missing");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MACHINES_RESOURCE, e);
        }
    }
}
