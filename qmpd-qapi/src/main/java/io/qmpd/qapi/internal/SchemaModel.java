package io.qmpd.qapi.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded, checked schema: the types, and the commands and events in definition order (the
 * order introspection lists them in). Immutable, thread-safe.
 */
public record SchemaModel(
        TypeTable types, List<Object> definitions, Map<String, CommandDef> commands, Map<String, EventDef> events) {
    public SchemaModel {
        definitions = List.copyOf(definitions);
        commands = Collections.unmodifiableMap(new LinkedHashMap<>(commands));
        events = Collections.unmodifiableMap(new LinkedHashMap<>(events));
    }
}
