package io.qmpd.qapi.internal;

import java.util.List;
import java.util.Map;

/**
 * A loaded, checked schema: the types, and the commands and events in definition order (the
 * order introspection lists them in). Immutable, thread-safe.
 */
public record SchemaModel(TypeTable types, List<Object> definitions, Map<String, CommandDef> commands,
                          Map<String, EventDef> events) {
    public SchemaModel {
        definitions = List.copyOf(definitions);
        commands = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(commands));
        events = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(events));
    }
}
