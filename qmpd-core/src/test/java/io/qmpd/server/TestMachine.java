package io.qmpd.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.qmpd.command.CommandRegistry;
import io.qmpd.command.NoArgs;
import java.util.List;

/**
 * A stand-in back end for core's tests, which cannot use qmpd-machine's simulated machine (it is
 * built on core): {@code query-name} ({@code {}}), {@code query-uuid}, {@code query-status}, and
 * {@code stop}/{@code cont} with their {@code STOP}/{@code RESUME} events, declared in
 * {@code test-machine.json}. Just enough for tests that need a back end's commands and events;
 * qmpd-machine's tests check the real machine.
 */
public final class TestMachine implements Backend {

    public static final String SCHEMA = "test-machine.json";

    private final boolean startPaused;

    public TestMachine(boolean startPaused) {
        this.startPaused = startPaused;
    }

    @Override
    public List<String> schemaResources() {
        return List.of(SCHEMA);
    }

    @Override
    public Attached attach(CommandRegistry.Builder commands, BackendHost host) {
        String[] status = {startPaused ? "prelaunch" : "running"};
        commands.register("query-name", NoArgs.class, (ctx, args) -> null)
                .register(
                        "query-uuid",
                        NoArgs.class,
                        (ctx, args) -> JsonNodeFactory.instance
                                .objectNode()
                                .put("UUID", "00000000-0000-0000-0000-000000000000"))
                .register(
                        "query-status",
                        NoArgs.class,
                        (ctx, args) -> JsonNodeFactory.instance
                                .objectNode()
                                .put("running", status[0].equals("running"))
                                .put("singlestep", false)
                                .put("status", status[0]))
                .register("stop", NoArgs.class, (ctx, args) -> {
                    if (status[0].equals("running")) {
                        status[0] = "paused";
                        host.events().emit("STOP");
                    }
                    return null;
                })
                .register("cont", NoArgs.class, (ctx, args) -> {
                    if (!status[0].equals("running")) {
                        status[0] = "running";
                        host.events().emit("RESUME");
                    }
                    return null;
                })
                .inline(List.of("query-status", "query-name", "query-uuid"));
        return new Attached() {};
    }
}
