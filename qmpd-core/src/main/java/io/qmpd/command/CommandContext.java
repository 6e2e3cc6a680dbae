package io.qmpd.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.event.EventBroadcaster;
import io.qmpd.monitor.Caller;
import io.qmpd.monitor.QmpMonitor;
import io.qmpd.qapi.QmpException;
import java.io.FileDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What a handler sees of the request it answers: the server, who it runs for (a monitor's client,
 * or the host) and the session, and whether it runs out of band. Confined to the thread running the handler.
 */
public final class CommandContext {

    private final CommandEnvironment env;
    private final Caller caller;
    private final long session;
    private final boolean oob;
    private final List<Runnable> afterReply = new ArrayList<>();

    CommandContext(CommandEnvironment env, Caller caller, long session, boolean oob) {
        this.env = Objects.requireNonNull(env, "env");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.session = session;
        this.oob = oob;
    }

    /** The server's parts, for qmpd's own command groups (an embedder's handler sees the rest). */
    CommandEnvironment env() {
        return env;
    }

    /** Who the command runs for: a monitor's client, or the host. */
    Caller caller() {
        return caller;
    }

    /** The monitor the request came through; empty when the host runs the command. */
    Optional<QmpMonitor> monitor() {
        return caller.monitor();
    }

    /** The descriptors of the monitor the request came through ({@link SessionDescriptors#NONE} for the host). */
    public SessionDescriptors descriptors() {
        return monitor().<SessionDescriptors>map(MonitorDescriptors::new).orElse(SessionDescriptors.NONE);
    }

    /**
     * Runs qmpd's own handler of {@code name} with {@code arguments} (checked against the schema
     * first) for the same caller, holding the big lock, and returns its {@code return} value: a
     * fallback that prepares a {@link CommandRegistry.Builder#divert diverted} command's way (on
     * another process, say) hands it back this way, and so can run one of qmpd's commands on the
     * way. For handlers that answer at once.
     *
     * @throws QmpException the handler's error, or {@code CommandNotFound} if qmpd has no such command
     * @throws IllegalStateException if the handler answers later
     */
    public JsonNode runOwnHandler(String name, ObjectNode arguments) {
        Object result = env.commands().invoke(name, this, arguments);
        if (result instanceof CompletionStage<?>) {
            throw new IllegalStateException(name + ": answers later (expected: a handler that answers at once)");
        }
        return env.commands().returnValue(result);
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

    /** Runs {@code action} once the reply of this command has been handed to the chardev. */
    public void afterReply(Runnable action) {
        afterReply.add(Objects.requireNonNull(action, "action"));
    }

    List<Runnable> afterReplyActions() {
        return afterReply;
    }

    private record MonitorDescriptors(QmpMonitor monitor) implements SessionDescriptors {

        @Override
        public Optional<FileDescriptor> takeReceived() {
            return monitor.chardev().takeReceivedFd();
        }

        @Override
        public Optional<FileDescriptor> take(String name) {
            return monitor.fds().takeIfPresent(name);
        }

        @Override
        public void giveBack(String name, FileDescriptor fd) {
            try {
                monitor.fds().put(name, fd);
            } catch (QmpException full) {
                // put closed it: the monitor holds as many names as it may
            }
        }
    }
}
