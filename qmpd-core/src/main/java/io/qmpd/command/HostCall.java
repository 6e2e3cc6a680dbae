package io.qmpd.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.monitor.Caller;
import io.qmpd.qapi.QmpException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A QMP command run for the host rather than for a monitor's client (HMP's commands call their
 * QMP twins this way): its {@code return} value, and the actions to run once the caller's own
 * output is out. A command that answers later is waited for.
 *
 * @param value      the {@code return} value
 * @param afterReply what the command asked to run after its reply
 */
public record HostCall(JsonNode value, List<Runnable> afterReply) {

    /**
     * Runs {@code name} with {@code arguments} (null for none); on the dispatcher.
     *
     * @throws QmpException the command's error ({@code CommandNotFound} for an unknown name)
     */
    public static HostCall run(CommandEnvironment env, String name, ObjectNode arguments) {
        CommandContext context = new CommandContext(env, Caller.HOST, 0, false);
        Object result = env.commands()
                .invoke(name, context, arguments == null ? JsonNodeFactory.instance.objectNode() : arguments);
        if (result instanceof CompletionStage<?> later) {
            try {
                result = later.toCompletableFuture().join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        return new HostCall(env.commands().returnValue(result), context.afterReplyActions());
    }
}
