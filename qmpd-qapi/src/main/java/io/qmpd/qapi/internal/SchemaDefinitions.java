package io.qmpd.qapi.internal;

import io.qmpd.qapi.internal.QapiType.AlternateType;
import io.qmpd.qapi.internal.QapiType.ArrayType;
import io.qmpd.qapi.internal.QapiType.EnumType;
import io.qmpd.qapi.internal.QapiType.Member;
import io.qmpd.qapi.internal.QapiType.ObjectType;
import io.qmpd.qapi.internal.QapiType.Variant;
import io.qmpd.qapi.internal.SchemaParser.Expression;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the entities of all schema files, then checks them as a whole (every name defined
 * once, every reference resolvable, unions well formed) and freezes them into a
 * {@link SchemaModel}. Confined to the loading thread.
 */
final class SchemaDefinitions {

    private final Map<String, QapiType> types = TypeTable.builtins();
    private final Map<String, String> where = new HashMap<>();
    private final List<Object> definitions = new ArrayList<>();
    private final Map<String, CommandDef> commands = new LinkedHashMap<>();
    private final Map<String, EventDef> events = new LinkedHashMap<>();

    void addType(Expression e, QapiType t) {
        if (types.containsKey(t.name())) {
            String first = where.get(t.name());
            throw new SchemaException(e.where() + ": '" + t.name() + "' is already defined"
                    + (first == null ? " (builtin)" : " at " + first));
        }
        types.put(t.name(), t);
        where.put(t.name(), e.where());
    }

    /** Implicit types may be wanted twice (two branches wrapping one struct): the first one wins. */
    void addImplicit(Expression e, ObjectType t) {
        if (!types.containsKey(t.name())) {
            addType(e, t);
        }
    }

    void addCommand(Expression e, CommandDef c) {
        if (commands.containsKey(c.name())) {
            throw new SchemaException(e.where() + ": command '" + c.name() + "' is already defined at "
                    + where.get("command " + c.name()));
        }
        commands.put(c.name(), c);
        where.put("command " + c.name(), e.where());
        definitions.add(c);
    }

    void addEvent(Expression e, EventDef ev) {
        if (events.containsKey(ev.name())) {
            throw new SchemaException(
                    e.where() + ": event '" + ev.name() + "' is already defined at " + where.get("event " + ev.name()));
        }
        events.put(ev.name(), ev);
        where.put("event " + ev.name(), e.where());
        definitions.add(ev);
    }

    SchemaModel build() {
        TypeTable table = new TypeTable(types);
        for (QapiType t : types.values()) {
            String at = where.get(t.name());
            if (t instanceof ObjectType o) {
                checkObject(table, at, o);
            } else if (t instanceof AlternateType a) {
                for (Variant v : a.branches()) {
                    ref(table, at, v.type());
                }
            }
        }
        for (CommandDef c : commands.values()) {
            String at = where.get("command " + c.name());
            if (c.argType() != null) {
                objectRef(table, at, c.argType());
            }
            if (c.retType() != null) {
                ref(table, at, c.retType());
            }
        }
        for (EventDef ev : events.values()) {
            if (ev.argType() != null) {
                objectRef(table, where.get("event " + ev.name()), ev.argType());
            }
        }
        return new SchemaModel(table, definitions, commands, events);
    }

    private void checkObject(TypeTable table, String at, ObjectType o) {
        if (o.base() != null) {
            QapiType base = objectRef(table, at, o.base());
            if (((ObjectType) base).isUnion()) {
                throw new SchemaException(at + ": base '" + o.base() + "' of '" + o.name() + "' is a union");
            }
        }
        for (Member m : o.members()) {
            ref(table, at, m.type());
        }
        if (!o.isUnion()) {
            return;
        }
        Member tag = table.allMembers(o).stream()
                .filter(m -> m.name().equals(o.tag()))
                .findFirst()
                .orElseThrow(() -> new SchemaException(
                        at + ": discriminator '" + o.tag() + "' is not a member of the base of '" + o.name() + "'"));
        if (!(table.get(tag.type()) instanceof EnumType tagType) || tag.optional()) {
            throw new SchemaException(
                    at + ": discriminator '" + o.tag() + "' of '" + o.name() + "' must be a mandatory enum member");
        }
        for (Variant v : o.variants()) {
            if (!tagType.accepts(v.caseName())) {
                throw new SchemaException(at + ": branch '" + v.caseName() + "' of '" + o.name()
                        + "' is not a value of '" + tagType.name() + "'");
            }
            objectRef(table, at, v.type());
        }
    }

    private static QapiType ref(TypeTable table, String at, String ref) {
        String element = ref.startsWith("[") ? ref.substring(1, ref.length() - 1) : ref;
        return table.find(ref).orElseThrow(() -> new SchemaException(at + ": unknown type '" + element + "'"));
    }

    private static QapiType objectRef(TypeTable table, String at, String ref) {
        QapiType t = ref(table, at, ref);
        if (!(t instanceof ObjectType) || t instanceof ArrayType) {
            throw new SchemaException(at + ": '" + ref + "' must be a struct or union");
        }
        return t;
    }
}
