package io.qmpd.machine;

import io.qmpd.command.CommandRegistry;
import io.qmpd.command.NoArgs;
import io.qmpd.qapi.QmpException;

/**
 * {@code migrate-pause}, the one migration command qmpd answers: qmpd never migrates, so it always
 * fails with QEMU 7.2's text for a migration that is not in postcopy. Stateless, hence safe on the
 * I/O thread, where it runs when sent with {@code exec-oob} (it is {@code allow-oob}).
 */
final class MigrationCommands {

    static final String NOT_POSTCOPY = "migrate-pause is currently only supported during postcopy-active state";

    private MigrationCommands() {}

    static void registerAll(CommandRegistry.Builder builder) {
        builder.registerIfDeclared("migrate-pause", NoArgs.class, (ctx, args) -> {
            throw QmpException.generic(NOT_POSTCOPY);
        });
    }
}
