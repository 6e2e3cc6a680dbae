package io.qmpd.hmp;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.TextNode;
import io.qmpd.command.CommandContext;
import io.qmpd.command.CommandEnvironment;
import io.qmpd.command.CommandRegistry;
import io.qmpd.command.HostCall;
import io.qmpd.qapi.QmpException;
import java.util.List;
import java.util.Objects;

/**
 * QMP's {@code human-monitor-command}: runs an HMP command line on a temporary monitor without a
 * chardev and returns what it printed ({@code \r\n} line ends, as QEMU). Events the line causes
 * are written before the reply, because they are written as they happen.
 */
public final class HumanMonitorCommand {

    /** The arguments. */
    public record Args(
            @JsonProperty("command-line") String commandLine,
            @JsonProperty("cpu-index") Long cpuIndex) {}

    private static final String CPUS = "query-cpus-fast";

    private final HmpDispatch hmp;
    private final CommandEnvironment env;

    /** @param env the server, whose {@code query-cpus-fast} tells the valid {@code cpu-index} values */
    public HumanMonitorCommand(HmpDispatch hmp, CommandEnvironment env) {
        this.hmp = Objects.requireNonNull(hmp, "hmp");
        this.env = Objects.requireNonNull(env, "env");
    }

    /** Registers the command if the schema declares it. */
    public void registerAll(CommandRegistry.Builder builder) {
        builder.registerIfDeclared("human-monitor-command", Args.class, this::run);
    }

    private Object run(CommandContext ctx, Args args) {
        if (args.cpuIndex() != null && (args.cpuIndex() < 0 || args.cpuIndex() >= vcpuCount())) {
            throw QmpException.generic("Parameter 'cpu-index' expects a CPU number");
        }
        HmpOutput out = new HmpOutput();
        return hmp.execute(null, args.commandLine(), List.of(), out).thenApply(result -> {
            result.afterOutput().forEach(ctx::afterReply);
            return TextNode.valueOf(out.text());
        });
    }

    /** The back end's vCPUs, as its {@code query-cpus-fast} lists them; none without it. */
    private int vcpuCount() {
        if (env.commands().find(CPUS).isEmpty()) {
            return 0;
        }
        return HostCall.run(env, CPUS, null).value().size();
    }
}
