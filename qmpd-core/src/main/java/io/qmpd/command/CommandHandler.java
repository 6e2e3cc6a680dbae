package io.qmpd.command;

import io.qmpd.qapi.QmpException;

/**
 * Runs one command with validated, typed arguments. Returns the {@code return} value: a record, a
 * list, a {@code JsonNode}, or null for {@code {}}. Throws {@link QmpException} to answer with
 * QEMU's error; any other exception becomes a {@code GenericError} carrying its message.
 *
 * @param <A> the argument record ({@link NoArgs} for commands without arguments)
 */
@FunctionalInterface
public interface CommandHandler<A> {

    Object handle(CommandContext context, A args);
}
