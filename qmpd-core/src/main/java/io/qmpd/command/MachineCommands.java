package io.qmpd.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.qmpd.machine.RunState;
import io.qmpd.qapi.Schema;

/**
 * The run-state commands: {@code stop}, {@code cont}, {@code query-status}, {@code query-name}.
 * Each is registered only if the schema declares it.
 */
public final class MachineCommands {

    /** {@code query-status} reply (QAPI StatusInfo, declaration order). */
    public record StatusInfo(boolean running, boolean singlestep, RunState status) {
    }

    /** {@code query-name} reply: {@code {}} without a name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NameInfo(String name) {
    }

    /** {@code query-uuid} reply. */
    public record UuidInfo(@com.fasterxml.jackson.annotation.JsonProperty("UUID") String uuid) {
    }

    private MachineCommands() {
    }

    public static CommandRegistry.Builder registerAll(CommandRegistry.Builder builder, Schema schema) {
        if (schema.command("stop").isPresent()) {
            builder.register("stop", NoArgs.class, (ctx, args) -> {
                ctx.machine().stop();
                return null;
            });
        }
        if (schema.command("cont").isPresent()) {
            builder.register("cont", NoArgs.class, (ctx, args) -> {
                ctx.machine().cont();
                return null;
            });
        }
        if (schema.command("query-status").isPresent()) {
            builder.register("query-status", NoArgs.class, (ctx, args) ->
                    new StatusInfo(ctx.machine().isRunning(), false, ctx.machine().runState()));
        }
        if (schema.command("query-name").isPresent()) {
            builder.register("query-name", NoArgs.class, (ctx, args) ->
                    new NameInfo(ctx.machine().name().orElse(null)));
        }
        if (schema.command("query-uuid").isPresent()) {
            builder.register("query-uuid", NoArgs.class, (ctx, args) ->
                    new UuidInfo(ctx.machine().uuid().toString()));
        }
        return builder;
    }
}
