package io.qmpd.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.qmpd.event.ShutdownCause;
import io.qmpd.monitor.QmpMonitor;
import io.qmpd.qapi.ErrorClass;
import io.qmpd.qapi.QmpError;
import io.qmpd.qapi.QmpException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The control commands of QEMU's {@code qapi/control.json}: {@code qmp_capabilities},
 * {@code query-version}, {@code query-commands}, {@code query-qmp-schema}, {@code quit}.
 */
public final class ControlCommands {

    /** {@code qmp_capabilities} arguments. */
    public record CapabilitiesArgs(List<String> enable) {}

    /** One {@code query-commands} entry. */
    public record CommandInfo(String name) {}

    private ControlCommands() {}

    /** Adds the control commands to {@code builder}. */
    public static void registerAll(CommandRegistry.Builder builder) {
        builder.register(QmpDispatch.CAPABILITIES, CapabilitiesArgs.class, ControlCommands::capabilities)
                .register(
                        "query-version",
                        NoArgs.class,
                        (ctx, args) -> ctx.env().version().toJson())
                .register("query-commands", NoArgs.class, ControlCommands::queryCommands)
                .register(
                        "query-qmp-schema",
                        NoArgs.class,
                        (ctx, args) -> ctx.env().introspection())
                .register("quit", NoArgs.class, ControlCommands::quit);
    }

    private static Object capabilities(CommandContext ctx, CapabilitiesArgs args) {
        QmpMonitor monitor = ctx.monitor()
                .filter(m -> !m.isCommandMode())
                .orElseThrow(() -> new QmpException(new QmpError(
                        ErrorClass.CommandNotFound, "Capabilities negotiation is already complete, command ignored")));
        List<String> enable = args.enable() == null ? List.of() : args.enable();
        List<String> missing = new ArrayList<>();
        boolean oob = false;
        for (String cap : enable) {
            if (cap.equals("oob") && monitor.oobOffered()) {
                oob = true;
            } else {
                missing.add(cap);
            }
        }
        if (!missing.isEmpty()) {
            throw QmpException.generic("Capability " + String.join(", ", missing) + " not available");
        }
        monitor.negotiate(ctx.session(), oob);
        return null;
    }

    private static Object queryCommands(CommandContext ctx, NoArgs args) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        if (ctx.monitor().filter(m -> !m.isCommandMode()).isPresent()) {
            list.addObject().put("name", QmpDispatch.CAPABILITIES);
            return list;
        }
        Set<String> listed = new HashSet<>();
        for (String name :
                ctx.env().commands().fallback().map(CommandFallback::names).orElse(List.of())) {
            if (listed.add(name)) {
                list.addObject().put("name", name);
            }
        }
        for (String name : ctx.env().commands().names()) {
            if (listed.add(name)) {
                list.addObject().put("name", name);
            }
        }
        return list;
    }

    /** QEMU 7.2 sends SHUTDOWN (host-qmp-quit) before quit's reply (conformance case 132). */
    private static Object quit(CommandContext ctx, NoArgs args) {
        ctx.events().emit("SHUTDOWN", ShutdownCause.HOST_QMP_QUIT.eventData());
        ctx.afterReply(ctx.env()::quit);
        return null;
    }
}
