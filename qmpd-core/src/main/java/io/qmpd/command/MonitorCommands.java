package io.qmpd.command;

import java.util.List;

/**
 * The seed's dynamic monitor commands: {@code monitor-add}, {@code monitor-remove},
 * {@code query-monitors} (qmpd only; QEMU 11.1 has the object form, see {@link QomCommands}).
 * Each is registered only if the schema declares it.
 */
public final class MonitorCommands {

    /** {@code monitor-add} arguments. */
    public record MonitorAddArgs(String id, String chardev, Boolean pretty) {}

    /** {@code monitor-remove} arguments. */
    public record MonitorRemoveArgs(String id) {}

    private MonitorCommands() {}

    public static void registerAll(CommandRegistry.Builder builder) {
        if (builder.registerIfDeclared("monitor-add", MonitorAddArgs.class, (ctx, a) -> {
            ctx.env().hotplug().monitorAdd(a.id(), a.chardev(), Boolean.TRUE.equals(a.pretty()));
            return null;
        })) {
            builder.inline(List.of("monitor-add")); // attach hands its set-up to the loop, never waits
        }
        if (builder.registerIfDeclared("monitor-remove", MonitorRemoveArgs.class, (ctx, a) -> {
            ctx.env().hotplug().monitorRemove(a.id(), ctx::afterReply);
            return null;
        })) {
            builder.inline(List.of("monitor-remove")); // destroy hands the teardown to the loop
        }
        builder.registerIfDeclared(
                "query-monitors", NoArgs.class, (ctx, a) -> ctx.env().hotplug().queryMonitors());
    }
}
