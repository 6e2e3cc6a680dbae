package io.qmpd.qapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.qapi.internal.CommandDef;
import io.qmpd.qapi.internal.EventDef;
import io.qmpd.qapi.internal.InputVisitor;
import io.qmpd.qapi.internal.Introspector;
import io.qmpd.qapi.internal.SchemaException;
import io.qmpd.qapi.internal.SchemaLoader;
import io.qmpd.qapi.internal.SchemaModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A QAPI schema: every command, event and type a server offers, read from files in QEMU's schema
 * language. Immutable and thread-safe once loaded.
 */
public final class Schema {

    /** The top file of qmpd's own schema: what every server serves, whatever its back end. */
    public static final String BUILTIN_RESOURCE = "io/qmpd/qapi/schema/qmpd.json";

    /**
     * The top file of the simulated machine's schema (run state, machine facts), which
     * qmpd-machine's back end adds to qmpd's own.
     */
    public static final String SIMULATED_MACHINE_RESOURCE = "io/qmpd/qapi/schema/simulated-machine.json";

    private final SchemaModel model;
    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final Map<String, Event> events = new LinkedHashMap<>();
    /** Built at the first {@link #introspect()}: most runs never ask for it. */
    private volatile ArrayNode introspection;

    private Schema(SchemaModel model) {
        this.model = model;
        for (CommandDef c : model.commands().values()) {
            commands.put(
                    c.name(),
                    new Command(c.name(), c.allowOob(), c.allowPreconfig(), c.successResponse(), c.features()));
        }
        for (EventDef e : model.events().values()) {
            events.put(e.name(), new Event(e.name(), e.features()));
        }
    }

    /** The schema every qmpd server offers, whatever its back end ({@link #BUILTIN_RESOURCE}). */
    public static Schema builtin() {
        return builtinWith(List.of());
    }

    /**
     * The builtin schema plus the given extra schema files (class path resource names), as an
     * embedder adds its own. Throws {@link IllegalArgumentException} with {@code file:line: ...}
     * for a bad file.
     */
    public static Schema builtinWith(List<String> extraResources) {
        List<String> all = new ArrayList<>();
        all.add(BUILTIN_RESOURCE);
        all.addAll(extraResources);
        return load(all);
    }

    /**
     * A back end's schema files, then qmpd's own (those of its files the back end's did not
     * include already): the back end's lead, so that they set the order in which introspection
     * lists commands and events (a file is read once, where it is first included).
     */
    public static Schema forBackend(List<String> backendResources) {
        List<String> all = new ArrayList<>(backendResources);
        all.add(BUILTIN_RESOURCE);
        return load(all);
    }

    private static Schema load(List<String> all) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null || cl.getResource(BUILTIN_RESOURCE) == null) {
            cl = Schema.class.getClassLoader();
        }
        try {
            return new Schema(SchemaLoader.load(cl, all));
        } catch (SchemaException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public Optional<Command> command(String name) {
        return Optional.ofNullable(commands.get(name));
    }

    /** Every command, in schema definition order. */
    public Collection<Command> commands() {
        return Collections.unmodifiableCollection(commands.values());
    }

    /** Every command name, in schema definition order. */
    public List<String> commandNames() {
        return List.copyOf(commands.keySet());
    }

    public Optional<Event> event(String name) {
        return Optional.ofNullable(events.get(name));
    }

    /** Every event, in schema definition order. */
    public Collection<Event> events() {
        return Collections.unmodifiableCollection(events.values());
    }

    /**
     * The declared return type of a command as written in the schema ({@code "str"},
     * {@code "ChardevReturn"}, {@code "[ChardevInfo]"}), or empty when the command returns
     * nothing (its reply is then {@code {}}).
     */
    public Optional<String> returnType(Command command) {
        return Optional.ofNullable(def(command).retType());
    }

    /** Whether the command declares {@code returns}; without it the reply is {@code {"return": {}}}. */
    public boolean hasReturnType(Command command) {
        return def(command).retType() != null;
    }

    /**
     * Checks a command's arguments as QEMU's input visitor does and throws {@link QmpException}
     * ({@code GenericError}) with QEMU's text ({@code Parameter 'x' is missing}, ...) on the first
     * problem. Pass {@code {}} when the request had no {@code arguments}.
     */
    public void checkArguments(Command command, ObjectNode arguments) {
        Objects.requireNonNull(arguments, "arguments");
        try {
            new InputVisitor(model.types()).visitRoot(def(command).argType(), arguments);
        } catch (InputVisitor.Failure f) {
            throw QmpException.generic(f.getMessage());
        }
    }

    /** Checks an event's data against the schema; throws {@link IllegalArgumentException} (a programming error) if it does not fit. */
    public void checkEventData(Event event, ObjectNode data) {
        EventDef def = model.events().get(event.name());
        if (def == null) {
            throw new IllegalArgumentException("event: " + event.name() + " (expected: an event of this schema)");
        }
        try {
            new InputVisitor(model.types()).visitRoot(def.argType(), data == null ? emptyObject() : data);
        } catch (InputVisitor.Failure f) {
            throw new IllegalArgumentException("event " + event.name() + ": " + f.getMessage(), f);
        }
    }

    /** The {@code query-qmp-schema} reply: a list of SchemaInfo in QEMU's format (a fresh copy each call). */
    public ArrayNode introspect() {
        ArrayNode built = introspection;
        if (built == null) {
            // the model is immutable, so two threads racing here build equal lists
            built = Introspector.introspect(model);
            introspection = built;
        }
        return built.deepCopy();
    }

    private CommandDef def(Command command) {
        CommandDef def = model.commands().get(command.name());
        if (def == null) {
            throw new IllegalArgumentException("command: " + command.name() + " (expected: a command of this schema)");
        }
        return def;
    }

    private static ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** A command as declared. */
    public record Command(
            String name, boolean allowOob, boolean allowPreconfig, boolean successResponse, List<String> features) {
        public Command {
            features = List.copyOf(features);
        }
    }

    /** An event as declared. */
    public record Event(String name, List<String> features) {
        public Event {
            features = List.copyOf(features);
        }
    }

    /** The loaded model, for tools in this module (the docs generator). */
    SchemaModel model() {
        return model;
    }
}
