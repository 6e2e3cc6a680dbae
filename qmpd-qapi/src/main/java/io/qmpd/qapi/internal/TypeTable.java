package io.qmpd.qapi.internal;

import io.qmpd.qapi.internal.QapiType.ArrayType;
import io.qmpd.qapi.internal.QapiType.Builtin;
import io.qmpd.qapi.internal.QapiType.EnumType;
import io.qmpd.qapi.internal.QapiType.EnumValue;
import io.qmpd.qapi.internal.QapiType.Member;
import io.qmpd.qapi.internal.QapiType.ObjectType;
import io.qmpd.qapi.internal.QapiType.Variant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every type of a schema by name, builtins included; resolves {@code [T]} to array types. Immutable. */
public final class TypeTable {

    /** QEMU's empty object type, used for "no arguments", "no return value" and union branches left out. */
    public static final String EMPTY = "q_empty";

    private final Map<String, QapiType> types;

    TypeTable(Map<String, QapiType> types) {
        this.types = Map.copyOf(types);
    }

    /** The builtin types with introspection's JSON type words. */
    static Map<String, QapiType> builtins() {
        Map<String, QapiType> map = new LinkedHashMap<>();
        put(map, new Builtin("str", "string"));
        put(map, new Builtin("number", "number"));
        put(map, new Builtin("int", "int"));
        for (String t : List.of("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "size")) {
            put(map, new Builtin(t, "int"));
        }
        put(map, new Builtin("bool", "boolean"));
        put(map, new Builtin("null", "null"));
        put(map, new Builtin("any", "value"));
        put(map, new ObjectType(EMPTY, null, List.of(), null, List.of(), List.of(), true));
        return map;
    }

    private static void put(Map<String, QapiType> map, QapiType t) {
        map.put(t.name(), t);
    }

    public Optional<QapiType> find(String ref) {
        if (ref.startsWith("[") && ref.endsWith("]")) {
            String element = ref.substring(1, ref.length() - 1);
            return find(element).map(e -> new ArrayType(ref, element));
        }
        return Optional.ofNullable(types.get(ref));
    }

    public QapiType get(String ref) {
        return find(ref)
                .orElseThrow(() -> new IllegalArgumentException("type: " + ref + " (expected: a defined type)"));
    }

    public ObjectType object(String ref) {
        return (ObjectType) get(ref);
    }

    /** Base members (recursively) first, then the type's own, as QEMU flattens them. */
    public List<Member> allMembers(ObjectType t) {
        List<Member> out = new ArrayList<>();
        if (t.base() != null) {
            out.addAll(allMembers(object(t.base())));
        }
        out.addAll(t.members());
        return out;
    }

    /** The union's branches: the declared ones, then every other tag value with {@link #EMPTY}, in enum order. */
    public List<Variant> allVariants(ObjectType t) {
        if (!t.isUnion()) {
            return List.of();
        }
        List<Variant> out = new ArrayList<>(t.variants());
        EnumType tagType = (EnumType) get(tagMember(t).type());
        for (EnumValue v : tagType.values()) {
            if (t.variants().stream().noneMatch(x -> x.caseName().equals(v.name()))) {
                out.add(new Variant(v.name(), EMPTY));
            }
        }
        return out;
    }

    public Member tagMember(ObjectType t) {
        return allMembers(t).stream()
                .filter(m -> m.name().equals(t.tag()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("tag: " + t.tag() + " of " + t.name()));
    }

    /** The branch type for a tag value ({@link #EMPTY} for a value without a declared branch). */
    public ObjectType branch(ObjectType union, String tagValue) {
        for (Variant v : union.variants()) {
            if (v.caseName().equals(tagValue)) {
                return object(v.type());
            }
        }
        return object(EMPTY);
    }
}
