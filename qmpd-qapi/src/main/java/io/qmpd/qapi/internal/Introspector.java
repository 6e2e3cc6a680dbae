package io.qmpd.qapi.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.qapi.internal.QapiType.AlternateType;
import io.qmpd.qapi.internal.QapiType.ArrayType;
import io.qmpd.qapi.internal.QapiType.Builtin;
import io.qmpd.qapi.internal.QapiType.EnumType;
import io.qmpd.qapi.internal.QapiType.EnumValue;
import io.qmpd.qapi.internal.QapiType.Member;
import io.qmpd.qapi.internal.QapiType.ObjectType;
import io.qmpd.qapi.internal.QapiType.Variant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code query-qmp-schema} reply as QEMU's scripts/qapi/introspect.py does: first
 * every command and event in definition order, then every type they reach, in order of first
 * use; types other than builtins and arrays get numbers (in order of first use), every integer
 * type shows as {@code int}, optional members carry {@code "default": null}. Members of each
 * SchemaInfo object are inserted in the order QEMU's literal lists them, so a QDict-ordering
 * writer prints QEMU's bytes. One instance per build; confined to the calling thread.
 */
public final class Introspector {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SchemaModel model;
    private final Map<String, String> numbers = new HashMap<>();
    private final List<String> used = new ArrayList<>();
    private final LinkedHashSet<String> usedSet = new LinkedHashSet<>();
    private final ArrayNode trees = NODES.arrayNode();

    private Introspector(SchemaModel model) {
        this.model = model;
    }

    public static ArrayNode introspect(SchemaModel model) {
        return new Introspector(model).build();
    }

    private ArrayNode build() {
        for (Object d : model.definitions()) {
            if (d instanceof CommandDef c) {
                ObjectNode obj = NODES.objectNode();
                obj.put("arg-type", use(c.argType() == null ? TypeTable.EMPTY : c.argType()));
                obj.put("ret-type", use(c.retType() == null ? TypeTable.EMPTY : c.retType()));
                if (c.allowOob()) {
                    obj.put("allow-oob", true);
                }
                tree(c.name(), "command", obj, c.features());
            } else {
                EventDef e = (EventDef) d;
                ObjectNode obj = NODES.objectNode();
                obj.put("arg-type", use(e.argType() == null ? TypeTable.EMPTY : e.argType()));
                tree(e.name(), "event", obj, e.features());
            }
        }
        for (int i = 0; i < used.size(); i++) { // the list grows while we walk it
            visitType(model.types().get(used.get(i)));
        }
        return trees;
    }

    private void visitType(QapiType t) {
        ObjectNode obj = NODES.objectNode();
        if (t instanceof Builtin b) {
            obj.put("json-type", b.jsonType());
            tree(b.name(), "builtin", obj, List.of());
        } else if (t instanceof ArrayType a) {
            String element = use(a.element());
            obj.put("element-type", element);
            tree("[" + element + "]", "array", obj, List.of());
        } else if (t instanceof EnumType e) {
            ArrayNode members = obj.putArray("members");
            ArrayNode values = obj.putArray("values");
            for (EnumValue v : e.values()) {
                ObjectNode m = members.addObject().put("name", v.name());
                features(m, v.features());
                values.add(v.name());
            }
            tree(number(e.name()), "enum", obj, e.features());
        } else if (t instanceof AlternateType alt) {
            ArrayNode members = obj.putArray("members");
            for (Variant v : alt.branches()) {
                members.addObject().put("type", use(v.type()));
            }
            tree(number(alt.name()), "alternate", obj, alt.features());
        } else {
            ObjectType o = (ObjectType) t;
            ArrayNode members = obj.putArray("members");
            for (Member m : model.types().allMembers(o)) {
                ObjectNode mo = members.addObject().put("name", m.name()).put("type", use(m.type()));
                if (m.optional()) {
                    mo.putNull("default");
                }
                features(mo, m.features());
            }
            if (o.isUnion()) {
                obj.put("tag", o.tag());
                ArrayNode variants = obj.putArray("variants");
                for (Variant v : model.types().allVariants(o)) {
                    variants.addObject().put("case", v.caseName()).put("type", use(v.type()));
                }
            }
            tree(number(o.name()), "object", obj, o.features());
        }
    }

    private void tree(String name, String metaType, ObjectNode obj, List<String> features) {
        obj.put("name", name);
        obj.put("meta-type", metaType);
        features(obj, features);
        trees.add(obj);
    }

    private static void features(ObjectNode obj, List<String> features) {
        if (!features.isEmpty()) {
            ArrayNode f = obj.putArray("features");
            features.forEach(f::add);
        }
    }

    /** QEMU's _use_type(): queue the type for output and return the name introspection shows for it. */
    private String use(String ref) {
        QapiType t = model.types().get(ref);
        if (t instanceof Builtin b && b.isInteger()) {
            ref = "int";
        } else if (t instanceof ArrayType a && model.types().get(a.element()) instanceof Builtin b && b.isInteger()) {
            ref = "[int]";
        }
        if (usedSet.add(ref)) {
            used.add(ref);
        }
        t = model.types().get(ref);
        if (t instanceof Builtin) {
            return ref;
        }
        if (t instanceof ArrayType a) {
            return "[" + use(a.element()) + "]";
        }
        return number(ref);
    }

    private String number(String name) {
        return numbers.computeIfAbsent(name, n -> Integer.toString(numbers.size()));
    }
}
