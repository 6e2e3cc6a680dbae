package io.qmpd.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.qapi.Schema;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Every command the server runs, by its schema name, with its typed handler. Frozen at
 * {@link Builder#build()}, which fails for a handler the schema does not declare and for a schema
 * command without a handler (unless explicitly listed as pending), so a mismatch is a start-up
 * error and never a surprise at the first call. Immutable and thread-safe.
 */
public final class CommandRegistry {

    /** One runnable command: its schema declaration, argument type and handler. */
    public record Registered<A>(Schema.Command command, Class<A> argsType, CommandHandler<A> handler) {

        public String name() {
            return command.name();
        }
    }

    private final Schema schema;
    private final Map<String, Registered<?>> byName;
    private final PlainRecords records = new PlainRecords();
    /** Created at first use: an ObjectMapper costs tens of milliseconds at start-up. */
    private volatile ObjectMapper mapper;

    private final List<String> names;
    /** Inline commands, each with the condition on its arguments under which it runs inline. */
    private final Map<String, Predicate<JsonNode>> inline;

    /** Null: an undeclared command is not found. */
    private final CommandFallback fallback;
    /** Registered commands whose requests go to the fallback when their arguments satisfy the condition. */
    private final Map<String, Predicate<JsonNode>> diverted;
    /** The condition of a command {@link Builder#divert(String) diverted} whatever its arguments. */
    private static final Predicate<JsonNode> ALWAYS = arguments -> true;

    private CommandRegistry(
            Schema schema,
            Map<String, Registered<?>> byName,
            Map<String, Predicate<JsonNode>> inline,
            CommandFallback fallback,
            Map<String, Predicate<JsonNode>> diverted) {
        this.schema = schema;
        this.fallback = fallback;
        this.byName = Map.copyOf(byName);
        this.names = List.copyOf(byName.keySet());
        this.inline = Map.copyOf(inline);
        this.diverted = Map.copyOf(diverted);
    }

    public static Builder builder(Schema schema) {
        return new Builder(schema);
    }

    public Schema schema() {
        return schema;
    }

    public Optional<Registered<?>> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** What answers the commands the schema does not declare, if anything does. */
    public Optional<CommandFallback> fallback() {
        return Optional.ofNullable(fallback);
    }

    /**
     * Runs the fallback for {@code name}, an undeclared command, with its arguments as sent.
     *
     * @throws QmpException the fallback's error
     */
    Object invokeFallback(CommandContext context, String name, ObjectNode args) {
        return fallback.handle(context, name, args);
    }

    /**
     * Whether a request for {@code name}, a registered command, with {@code arguments} (as sent,
     * null when absent) goes to the fallback instead of its handler ({@link Builder#divert}). An
     * out-of-band request ({@code oob}) goes there only if every request of the command does; an
     * in-band one is asked holding the big lock.
     */
    public boolean diverts(String name, JsonNode arguments, boolean oob) {
        Predicate<JsonNode> when = diverted.get(name);
        if (when == null) {
            return false;
        }
        return when == ALWAYS || !oob && when.test(arguments);
    }

    /**
     * Whether every request for {@code name} goes to the fallback, whatever its arguments: there
     * is one, and the name has no handler here or is {@link Builder#divert(String) diverted}.
     */
    public boolean alwaysToFallback(String name) {
        return fallback != null && (!byName.containsKey(name) || diverted.get(name) == ALWAYS);
    }

    /** Whether {@code name} was registered as {@link Builder#inline inline}, for any arguments or some. */
    public boolean isInline(String name) {
        return inline.containsKey(name);
    }

    /**
     * Whether a request for {@code name} with {@code arguments} (as sent, not yet validated; null
     * when absent) may run inline: the command is {@link Builder#inline inline} and its condition
     * holds. Call it holding the big lock: a condition may read dispatcher-confined state.
     */
    public boolean runsInline(String name, JsonNode arguments) {
        Predicate<JsonNode> when = inline.get(name);
        return when != null && when.test(arguments);
    }

    /** Command names in registration order. */
    public List<String> names() {
        return names;
    }

    /** Converts validated arguments into the handler's type. */
    <A> A arguments(Registered<A> command, ObjectNode args) {
        if (command.argsType() == NoArgs.class) {
            return command.argsType().cast(new NoArgs());
        }
        Optional<A> direct = records.read(command.argsType(), args);
        if (direct.isPresent()) {
            return direct.get();
        }
        try {
            return mapper().treeToValue(args, command.argsType());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "arguments of " + command.name() + " do not fit "
                            + command.argsType().getName() + ": " + e.getOriginalMessage(),
                    e);
        }
    }

    /**
     * Checks {@code args} against the command's schema, converts them and runs the handler: its
     * value, or a stage of it for a command that answers later.
     *
     * @throws QmpException an argument error, or the handler's own
     */
    /**
     * Runs the handler registered for {@code name}, as {@link #invoke(Registered, CommandContext, ObjectNode)}.
     *
     * @throws QmpException {@code CommandNotFound} if none is
     */
    Object invoke(String name, CommandContext context, ObjectNode args) {
        return invoke(find(name).orElseThrow(() -> QmpDispatch.commandNotFound(name)), context, args);
    }

    <A> Object invoke(Registered<A> command, CommandContext context, ObjectNode args) {
        schema.checkArguments(command.command(), args);
        return command.handler().handle(context, arguments(command, args));
    }

    /** Turns a handler's result into the {@code return} value: null is {@code {}}. */
    JsonNode returnValue(Object result) {
        if (result == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (result instanceof JsonNode node) {
            return node;
        }
        Optional<ObjectNode> plain = records.write(result);
        return plain.isPresent() ? plain.get() : mapper().valueToTree(result);
    }

    private ObjectMapper mapper() {
        ObjectMapper m = mapper;
        if (m == null) {
            synchronized (this) {
                m = mapper;
                if (m == null) {
                    m = new ObjectMapper()
                            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
                    mapper = m;
                }
            }
        }
        return m;
    }

    /** Collects handlers; {@link #build()} checks them against the schema. */
    public static final class Builder {

        private final Schema schema;
        private final Map<String, Registered<?>> byName = new LinkedHashMap<>();
        private final Set<String> pending = new LinkedHashSet<>();
        private final Map<String, Predicate<JsonNode>> inline = new LinkedHashMap<>();
        private final Map<String, Predicate<JsonNode>> diverted = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();
        private CommandFallback fallback;

        private Builder(Schema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
        }

        /** The schema handlers are checked against. */
        public Schema schema() {
            return schema;
        }

        public <A> Builder register(String name, Class<A> argsType, CommandHandler<A> handler) {
            Objects.requireNonNull(argsType, "argsType");
            Objects.requireNonNull(handler, "handler");
            Optional<Schema.Command> command = schema.command(name);
            if (command.isEmpty()) {
                problems.add("handler for '" + name + "', which the schema does not declare");
            } else if (byName.putIfAbsent(name, new Registered<>(command.get(), argsType, handler)) != null) {
                problems.add("second handler for '" + name + "'");
            }
            return this;
        }

        /**
         * Registers {@code handler} if the schema declares {@code name}, and says whether it did:
         * qmpd's command groups serve whatever the server's schema offers of them.
         */
        public <A> boolean registerIfDeclared(String name, Class<A> argsType, CommandHandler<A> handler) {
            if (schema.command(name).isEmpty()) {
                return false;
            }
            register(name, argsType, handler);
            return true;
        }

        /**
         * Schema commands that deliberately have no handler yet: they are not in the registry
         * (so {@code query-commands} does not list them and calling them gives CommandNotFound).
         * Meant for commands a later piece of work implements; keep the list short.
         */
        public Builder pending(Collection<String> names) {
            pending.addAll(names);
            return this;
        }

        /**
         * Registered commands whose handlers neither block nor wait for the event loop (reads of
         * state, say). When the dispatcher is idle, the event loop that read such a request runs
         * it at once in the dispatcher's place, with the same exclusion; otherwise it is queued as
         * usual. Replies, events and their order are the same either way; only the two thread
         * hand-offs are saved. A handler that waits for the loop must not be listed: it would
         * wait for itself.
         */
        public Builder inline(Collection<String> names) {
            for (String name : names) {
                inline(name, arguments -> true);
            }
            return this;
        }

        /**
         * As {@link #inline(Collection)}, for the requests whose {@code arguments} satisfy
         * {@code when}: a command that blocks for some arguments only (a chardev-add that opens a
         * FIFO, say). {@code when} sees the arguments as sent (null when absent, possibly of the
         * wrong shape: answer false, and validation on the dispatcher reports it), runs holding
         * the big lock (it may read registries) and must itself neither block nor fail.
         */
        public Builder inline(String name, Predicate<JsonNode> when) {
            inline.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(when, "when"));
            return this;
        }

        /**
         * What answers a command the schema does not declare, instead of {@code CommandNotFound}
         * (a back end in front of a real QEMU forwards it). One per registry.
         */
        public Builder fallback(CommandFallback handler) {
            if (fallback != null) {
                problems.add("second fallback");
            }
            fallback = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Sends every request a monitor's client makes for {@code name}, a command registered
         * here, to the {@link #fallback fallback}, unchecked, instead of the handler, out of band
         * too: a back end in front of a real QEMU forwards {@code query-version}, say. The host's
         * own requests (the command line's {@code -chardev}, {@code QmpServer.execute}) keep the
         * handler. The command stays listed once by {@code query-commands}.
         */
        public Builder divert(String name) {
            diverted.put(Objects.requireNonNull(name, "name"), ALWAYS);
            return this;
        }

        /**
         * As {@link #divert(String)}, for the in-band requests whose arguments satisfy
         * {@code when}: a back end in front of a real QEMU forwards {@code object-add} of every
         * type but qmpd's monitors, say; out-of-band requests keep the handler's rules.
         * {@code when} sees the arguments as sent (null when absent, possibly of the wrong
         * shape), runs holding the big lock and must neither block nor fail.
         */
        public Builder divert(String name, Predicate<JsonNode> when) {
            diverted.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(when, "when"));
            return this;
        }

        public CommandRegistry build() {
            List<String> all = new ArrayList<>(problems);
            for (String name : diverted.keySet()) {
                if (!byName.containsKey(name)) {
                    all.add("diverted command '" + name + "' has no handler");
                }
            }
            if (!diverted.isEmpty() && fallback == null) {
                all.add("diverted commands without a fallback");
            }
            for (String name : inline.keySet()) {
                if (!byName.containsKey(name)) {
                    all.add("inline command '" + name + "' has no handler");
                }
            }
            for (Schema.Command c : schema.commands()) {
                if (!byName.containsKey(c.name()) && !pending.contains(c.name())) {
                    all.add("no handler for schema command '" + c.name() + "'");
                }
            }
            if (!all.isEmpty()) {
                throw new IllegalStateException("commands: " + String.join("; ", all));
            }
            return new CommandRegistry(schema, byName, inline, fallback, diverted);
        }
    }
}
