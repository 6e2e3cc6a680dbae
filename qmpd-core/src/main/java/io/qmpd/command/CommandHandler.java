package io.qmpd.command;

import io.qmpd.qapi.QmpException;

/**
 * Runs one command with validated, typed arguments. Returns the {@code return} value: a record, a
 * list, a {@code JsonNode}, or null for {@code {}}. Throws {@link QmpException} to answer with
 * QEMU's error; any other exception becomes a {@code GenericError} carrying its message.
 *
 * <p>A handler whose answer comes later (from another process, say) returns a
 * {@link java.util.concurrent.CompletionStage} of that value instead, and completes it, or fails
 * it with a {@link QmpException}, on any thread. Its monitor stays busy meanwhile, as on QEMU (no
 * other request of that monitor runs before the reply), while the dispatcher serves the others.
 *
 * @param <A> the argument record ({@link NoArgs} for commands without arguments)
 */
@FunctionalInterface
public interface CommandHandler<A> {

    Object handle(CommandContext context, A args);
}
