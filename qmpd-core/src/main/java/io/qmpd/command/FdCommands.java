package io.qmpd.command;

import io.qmpd.io.Descriptors;
import io.qmpd.monitor.QmpMonitor;
import io.qmpd.qapi.QmpException;
import java.io.FileDescriptor;

/**
 * {@code getfd} and {@code closefd}: a monitor keeps descriptors its client passed with
 * SCM_RIGHTS under names (QEMU's texts). The descriptor comes from the monitor's chardev
 * ({@link io.qmpd.chardev.Chardev#takeReceivedFd()}).
 */
public final class FdCommands {

    /** {@code getfd} / {@code closefd} arguments. */
    public record FdName(String fdname) {}

    private FdCommands() {}

    private static QmpException noneSupplied() {
        return QmpException.generic("No file descriptor supplied via SCM_RIGHTS");
    }

    public static void registerAll(CommandRegistry.Builder builder) {
        builder.registerIfDeclared("getfd", FdName.class, (ctx, args) -> {
            // the host has no socket to receive a descriptor on
            QmpMonitor monitor = ctx.monitor().orElseThrow(FdCommands::noneSupplied);
            FileDescriptor fd = monitor.chardev().takeReceivedFd().orElseThrow(FdCommands::noneSupplied);
            if (!args.fdname().isEmpty() && Character.isDigit(args.fdname().charAt(0))) {
                Descriptors.close(fd);
                throw QmpException.generic("Parameter 'fdname' expects a name not starting with a digit");
            }
            monitor.fds().put(args.fdname(), fd);
            return null;
        });
        builder.registerIfDeclared("closefd", FdName.class, (ctx, args) -> {
            QmpMonitor monitor = ctx.monitor()
                    .orElseThrow(() -> QmpException.generic("File descriptor named '" + args.fdname() + "' not found"));
            monitor.fds().close(args.fdname());
            return null;
        });
    }
}
