package io.qmpd.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.json.QDictOrder;
import io.qmpd.monitor.Caller;
import io.qmpd.monitor.CommandDispatch;
import io.qmpd.monitor.QmpMonitor;
import io.qmpd.monitor.QmpReply;
import io.qmpd.monitor.QmpResponse;
import io.qmpd.qapi.ErrorClass;
import io.qmpd.qapi.QmpError;
import io.qmpd.qapi.QmpException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QEMU's {@code qmp_dispatch} plus the negotiation-mode rewrite of {@code monitor_qmp_dispatch}:
 * checks the request envelope in QEMU's order, looks the command up in the monitor's current
 * table, validates the arguments against the schema and runs the handler. Stateless and
 * thread-safe; runs on whichever thread calls it (dispatcher, or the loop for exec-oob). The
 * reply is complete at once unless the handler returned a stage; it then completes with it.
 */
public final class QmpDispatch implements CommandDispatch {

    private static final Logger log = LoggerFactory.getLogger(QmpDispatch.class);

    static final String CAPABILITIES = "qmp_capabilities";
    private static final String NEGOTIATION_TEXT = "Expecting capabilities negotiation with 'qmp_capabilities'";

    private final CommandEnvironment env;

    public QmpDispatch(CommandEnvironment env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    @Override
    public CompletionStage<QmpReply> dispatch(Caller caller, JsonNode request, long session) {
        if (!(request instanceof ObjectNode dict)) {
            return done(QmpReply.of(QmpResponse.error(QmpError.generic("QMP input must be a JSON object"), null)));
        }
        JsonNode id = dict.get("id");
        Optional<QmpMonitor> monitor = caller.monitor();
        boolean negotiating = monitor.map(m -> !m.isCommandMode()).orElse(false);
        try {
            boolean allowOob = monitor.map(QmpMonitor::oobEnabled).orElse(false);
            String execKey = checkEnvelope(dict, allowOob);
            boolean oob = execKey.equals("exec-oob");
            String name = dict.get(execKey).textValue();
            Optional<CommandRegistry.Registered<?>> command = negotiating && !name.equals(CAPABILITIES)
                            || monitor.isPresent() && env.commands().diverts(name, dict.get("arguments"), oob)
                    ? Optional.empty()
                    : env.commands().find(name);
            Optional<CommandFallback> fallback = command.isPresent() || negotiating
                    ? Optional.empty()
                    : env.commands().fallback();
            if (command.isEmpty() && fallback.isEmpty()) {
                throw commandNotFound(name);
            }
            if (oob
                    && !command.map(c -> c.command().allowOob())
                            .orElseGet(() -> fallback.get().allowsOob(name))) {
                if (command.isEmpty()
                        && env.commands().find(name).isEmpty()
                        && !fallback.get().names().contains(name)) {
                    throw commandNotFound(name); // QEMU looks the command up before its OOB flag
                }
                throw QmpException.generic("The command " + name + " does not support OOB");
            }
            JsonNode arguments = dict.get("arguments");
            ObjectNode args = arguments == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) arguments;
            CommandContext context = new CommandContext(env, caller, session, oob);
            boolean answers = command.map(c -> c.command().successResponse()).orElse(true);
            Object result = run(
                    name,
                    () -> command.isPresent()
                            ? env.commands().invoke(command.get(), context, args)
                            : env.commands().invokeFallback(context, name, args));
            if (result instanceof CompletionStage<?> later) {
                return later.handle((value, failure) -> failure == null
                        ? reply(name, answers, context, id, value)
                        : error(name, unwrap(failure), id, monitor, negotiating));
            }
            return done(reply(name, answers, context, id, result));
        } catch (QmpException e) {
            return done(error(null, e, id, monitor, negotiating));
        }
    }

    static QmpException commandNotFound(String name) {
        return new QmpException(
                new QmpError(ErrorClass.CommandNotFound, "The command " + name + " has not been found"));
    }

    private static CompletionStage<QmpReply> done(QmpReply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    /** The reply to a command that ran: its return value, unless it answers nothing. */
    private QmpReply reply(String command, boolean answers, CommandContext context, JsonNode id, Object result) {
        try {
            JsonNode ret = env.commands().returnValue(result);
            ObjectNode rsp = answers ? QmpResponse.success(ret, id) : null;
            return new QmpReply(rsp, context.afterReplyActions());
        } catch (RuntimeException e) {
            return error(command, e, id, Optional.empty(), false);
        }
    }

    /**
     * The error reply for {@code failure}: a {@link QmpException}'s own, anything else a
     * {@code GenericError} with its message (logged, naming {@code command} when known).
     */
    private static QmpReply error(
            String command, Throwable failure, JsonNode id, Optional<QmpMonitor> monitor, boolean negotiating) {
        QmpError error;
        if (failure instanceof QmpException e) {
            error = e.error();
        } else {
            log.error("command {} failed", command, failure);
            error = QmpError.generic(String.valueOf(failure.getMessage()));
        }
        if (negotiating
                && error.errorClass() == ErrorClass.CommandNotFound
                && !monitor.orElseThrow().isCommandMode()) {
            error = new QmpError(ErrorClass.CommandNotFound, NEGOTIATION_TEXT);
        }
        return QmpReply.of(QmpResponse.error(error, id));
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    @Override
    public boolean mayRunInline(JsonNode request) {
        String name = commandName(request);
        return name != null && (env.commands().isInline(name) || handedOverInline(name));
    }

    @Override
    public boolean runsInline(JsonNode request) {
        String name = commandName(request);
        return name != null && (env.commands().runsInline(name, request.get("arguments")) || handedOverInline(name));
    }

    /** Whether {@code name} goes to a fallback whatever its arguments, one that takes it without blocking. */
    private boolean handedOverInline(String name) {
        return env.commands().alwaysToFallback(name)
                && env.commands().fallback().orElseThrow().runsInline(name);
    }

    @Override
    public boolean pipelines(JsonNode request) {
        Optional<CommandFallback> fallback = env.commands().fallback();
        if (fallback.isEmpty() || !fallback.get().answersInOrder() || !(request instanceof ObjectNode dict)) {
            return false;
        }
        String name;
        try {
            name = dict.get(checkEnvelope(dict, false)).textValue();
        } catch (QmpException e) {
            return false; // answered here, at once: it must wait its turn
        }
        return env.commands().alwaysToFallback(name);
    }

    /** The in-band command a request names, or null. */
    private static String commandName(JsonNode request) {
        JsonNode execute = request.get("execute");
        return execute != null && execute.isTextual() ? execute.textValue() : null;
    }

    /**
     * Visits the members in QDict order (bucket ascending, later insertions first within a bucket)
     * and returns the member naming the command: {@code execute} or {@code exec-oob}.
     */
    static String checkEnvelope(ObjectNode dict, boolean allowOob) {
        String execKey = null;
        List<String> keys = new ArrayList<>(dict.size());
        dict.fieldNames().forEachRemaining(keys::add);
        for (String key : QDictOrder.iterationOrder(keys)) {
            JsonNode value = dict.get(key);
            if (key.equals("execute") || (key.equals("exec-oob") && allowOob)) {
                if (!value.isTextual()) {
                    throw QmpException.generic("QMP input member '" + key + "' must be a string");
                }
                if (execKey != null) {
                    throw QmpException.generic("QMP input member '" + key + "' clashes with '" + execKey + "'");
                }
                execKey = key;
            } else if (key.equals("arguments")) {
                if (!value.isObject()) {
                    throw QmpException.generic("QMP input member 'arguments' must be an object");
                }
            } else if (!key.equals("id")) {
                throw QmpException.generic("QMP input member '" + key + "' is unexpected");
            }
        }
        if (execKey == null) {
            throw QmpException.generic("QMP input lacks member 'execute'");
        }
        return execKey;
    }

    /** What the handler returned: its value, or a {@link CompletionStage} of it. */
    private static Object run(String command, Supplier<Object> handler) {
        try {
            return handler.get();
        } catch (QmpException e) {
            throw e;
        } catch (RuntimeException e) {
            log.error("command {} failed", command, e);
            throw QmpException.generic(String.valueOf(e.getMessage()));
        }
    }
}
