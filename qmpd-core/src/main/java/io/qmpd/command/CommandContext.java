package io.qmpd.command;

import io.qmpd.event.EventBroadcaster;
import io.qmpd.machine.Machine;
import io.qmpd.monitor.QmpMonitor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a handler sees of the request it answers: the server, the monitor the request came from
 * and its session, and whether it runs out of band. Confined to the thread running the handler.
 */
public final class CommandContext {

    private final CommandEnvironment env;
    private final QmpMonitor monitor;
    private final long session;
    private final boolean oob;
    private final List<Runnable> afterReply = new ArrayList<>();

    public CommandContext(CommandEnvironment env, QmpMonitor monitor, long session, boolean oob) {
        this.env = Objects.requireNonNull(env, "env");
        this.monitor = monitor;
        this.session = session;
        this.oob = oob;
    }

    public CommandEnvironment env() {
        return env;
    }

    /** The monitor the request came from (null when a command runs without one). */
    public QmpMonitor monitor() {
        return monitor;
    }

    /** The monitor session the request was read in. */
    public long session() {
        return session;
    }

    /** Whether the command runs out of band, on the event loop thread (it must then be thread-safe). */
    public boolean oob() {
        return oob;
    }

    public EventBroadcaster events() {
        return env.events();
    }

    public Machine machine() {
        return env.machine();
    }

    /** Runs {@code action} once the reply of this command has been handed to the chardev. */
    public void afterReply(Runnable action) {
        afterReply.add(Objects.requireNonNull(action, "action"));
    }

    List<Runnable> afterReplyActions() {
        return afterReply;
    }
}
