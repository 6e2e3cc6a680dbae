package io.qmpd.qapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A QAPI schema: every command, event and type a server offers, read from files in QEMU's schema
 * language. Immutable and thread-safe once loaded.
 *
 * <p>API CONTRACT (stub, to be implemented): see the helper prompt.
 */
public final class Schema {

    private Schema() {
    }

    /** The schema qmpd itself offers (the files under {@code io/qmpd/qapi/schema/} in this module). */
    public static Schema builtin() {
        throw new UnsupportedOperationException("stub");
    }

    /** The builtin schema plus the given extra schema files (classpath resource names), as an embedder adds its own. */
    public static Schema builtinWith(List<String> extraResources) {
        throw new UnsupportedOperationException("stub");
    }

    public Optional<Command> command(String name) {
        throw new UnsupportedOperationException("stub");
    }

    public Collection<Command> commands() {
        throw new UnsupportedOperationException("stub");
    }

    public Optional<Event> event(String name) {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * Checks a command's arguments as QEMU's input visitor does and throws {@link QmpException}
     * with QEMU's text ({@code Parameter 'x' is missing}, ...) on the first problem.
     */
    public void checkArguments(Command command, ObjectNode arguments) {
        throw new UnsupportedOperationException("stub");
    }

    /** Checks an event's data against the schema; throws {@link IllegalArgumentException} (a programming error) if it does not fit. */
    public void checkEventData(Event event, ObjectNode data) {
        throw new UnsupportedOperationException("stub");
    }

    /** The {@code query-qmp-schema} reply: a list of SchemaInfo in QEMU's format. */
    public ArrayNode introspect() {
        throw new UnsupportedOperationException("stub");
    }

    /** A command as declared. */
    public record Command(String name, boolean allowOob, boolean allowPreconfig, boolean successResponse,
                          List<String> features) {
    }

    /** An event as declared. */
    public record Event(String name, List<String> features) {
    }
}
