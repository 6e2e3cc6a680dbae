package io.qmpd.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmpd.chardev.ChardevBackends;
import io.qmpd.command.CommandRegistry;
import io.qmpd.monitor.Greeting;
import io.qmpd.qapi.Schema;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** The frozen configuration a {@link QmpServerBuilder} produces. */
record QmpServerConfig(
        Greeting greeting,
        Schema schema,
        Clock clock,
        Backend backend,
        ChardevBackends chardevBackends,
        UnaryOperator<JsonNode> introspection,
        Consumer<CommandRegistry.Builder> extraCommands,
        Set<String> pendingCommands,
        int maxChardevs,
        int maxMonitors,
        long ioPollMaxNanos,
        long ringbufMemoryLimit,
        long inputMemoryLimit,
        long namesMemoryLimit) {

    QmpServerConfig {
        Objects.requireNonNull(greeting, "greeting");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(chardevBackends, "chardevBackends");
        Objects.requireNonNull(introspection, "introspection");
        Objects.requireNonNull(extraCommands, "extraCommands");
        pendingCommands = Set.copyOf(pendingCommands);
    }
}
