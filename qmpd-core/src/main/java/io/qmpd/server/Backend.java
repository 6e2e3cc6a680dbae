package io.qmpd.server;

import io.qmpd.command.CommandRegistry;
import io.qmpd.hmp.HmpLineHandler;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What serves the commands qmpd does not serve itself. qmpd's own commands (monitors, chardevs,
 * objects, {@code getfd}, control) work whatever the back end; a back end adds the virtual
 * machine's: the simulated machine of {@code qmpd-machine}, or a real QEMU in front of which qmpd
 * stands. A server built without one serves qmpd's commands alone ({@link #NONE}).
 *
 * <p>A back end is a recipe: {@link #attach} is called once for every server built with it, and
 * keeps that server's state in what it registers and returns.
 */
public interface Backend {

    /** No back end: the server serves qmpd's own commands alone. */
    Backend NONE = (commands, host) -> new Attached() {};

    /**
     * Schema files (class path resources in QEMU's schema language) declaring this back end's
     * commands, events and types; a server built without an explicit schema offers these and
     * qmpd's own ({@link io.qmpd.qapi.Schema#forBackend}).
     */
    default List<String> schemaResources() {
        return List.of();
    }

    /**
     * Attaches to a server as it is built: registers this back end's handlers in its command
     * table (and a {@link CommandRegistry.Builder#fallback fallback} for commands the schema does
     * not declare, if it serves those), keeping {@code host} for events, timers and ending the run.
     *
     * @return what the server asks of it while it runs, and closes once it has stopped
     */
    Attached attach(CommandRegistry.Builder commands, BackendHost host);

    /** A back end attached to one server. */
    interface Attached extends AutoCloseable {

        /** The QOM type of {@code /machine}, as {@code qom-list} and {@code qom-get} show it. */
        default String machineQomType() {
            return "none-machine";
        }

        /**
         * What runs the lines of HMP monitors instead of qmpd's own HMP commands: one handler made
         * for each monitor (a broker runs them on QEMU). Empty by default: qmpd's own.
         */
        default Optional<Supplier<HmpLineHandler>> hmpLines() {
            return Optional.empty();
        }

        /** Called once the server has stopped: its dispatcher no longer runs commands. */
        @Override
        default void close() throws Exception {}
    }
}
