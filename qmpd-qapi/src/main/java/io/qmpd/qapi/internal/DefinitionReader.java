package io.qmpd.qapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.qapi.internal.QapiType.AlternateType;
import io.qmpd.qapi.internal.QapiType.EnumType;
import io.qmpd.qapi.internal.QapiType.EnumValue;
import io.qmpd.qapi.internal.QapiType.Member;
import io.qmpd.qapi.internal.QapiType.ObjectType;
import io.qmpd.qapi.internal.QapiType.Variant;
import io.qmpd.qapi.internal.SchemaParser.Expression;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one expression ({@code enum}, {@code struct}, {@code union}, {@code alternate},
 * {@code command}, {@code event}) into model entities, including QEMU's implicit types
 * ({@code q_obj_NAME-arg}, {@code q_obj_NAME-base}, and for a union written without a base the
 * {@code NAMEKind} enum and {@code q_obj_T-wrapper} structs). Confined to the loading thread.
 */
final class DefinitionReader {

    private static final Map<String, Set<String>> KEYS = Map.of(
            "enum", Set.of("enum", "data", "features", "prefix", "if"),
            "struct", Set.of("struct", "data", "base", "features", "if"),
            "union", Set.of("union", "data", "base", "discriminator", "features", "if"),
            "alternate", Set.of("alternate", "data", "features", "if"),
            "command",
                    Set.of(
                            "command",
                            "data",
                            "returns",
                            "boxed",
                            "allow-oob",
                            "allow-preconfig",
                            "success-response",
                            "features",
                            "gen",
                            "coroutine",
                            "if"),
            "event", Set.of("event", "data", "boxed", "features", "if"));

    private final SchemaDefinitions out;

    DefinitionReader(SchemaDefinitions out) {
        this.out = out;
    }

    void read(Expression e) {
        ObjectNode body = e.body();
        if (body.isEmpty()) {
            throw new SchemaException(e.where() + ": empty expression");
        }
        String meta = body.fieldNames().next();
        Set<String> allowed = KEYS.get(meta);
        if (allowed == null) {
            throw new SchemaException(e.where() + ": unknown expression '" + meta + "'");
        }
        String name = text(e, body, meta);
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new SchemaException(e.where() + ": unknown key '" + key + "' in " + meta + " '" + name + "'");
            }
        }
        List<String> features = features(e, body.get("features"));
        switch (meta) {
            case "enum" -> out.addType(e, new EnumType(name, enumValues(e, body.get("data")), features));
            case "struct" ->
                out.addType(
                        e,
                        new ObjectType(
                                name,
                                optText(e, body, "base"),
                                members(e, body.get("data")),
                                null,
                                List.of(),
                                features,
                                false));
            case "union" -> union(e, name, body, features);
            case "alternate" -> out.addType(e, new AlternateType(name, variants(e, body.get("data")), features));
            case "command" ->
                out.addCommand(
                        e,
                        new CommandDef(
                                name,
                                argType(e, name, body.get("data")),
                                returns(e, body.get("returns")),
                                flag(e, body, "boxed", false),
                                flag(e, body, "allow-oob", false),
                                flag(e, body, "allow-preconfig", false),
                                flag(e, body, "success-response", true),
                                features,
                                e.doc()));
            default ->
                out.addEvent(
                        e,
                        new EventDef(
                                name,
                                argType(e, name, body.get("data")),
                                flag(e, body, "boxed", false),
                                features,
                                e.doc()));
        }
    }

    private void union(Expression e, String name, ObjectNode body, List<String> features) {
        JsonNode base = body.get("base");
        List<Variant> variants = variants(e, body.get("data"));
        if (base == null) {
            // a union without base: QEMU's "simple union", i.e. {'type': <NAME>Kind, 'data': <branch>}
            List<EnumValue> kinds = new ArrayList<>();
            List<Variant> wrapped = new ArrayList<>();
            for (Variant v : variants) {
                kinds.add(new EnumValue(v.caseName(), List.of()));
                String wrapper = "q_obj_" + v.type() + "-wrapper";
                out.addImplicit(
                        e,
                        new ObjectType(
                                wrapper,
                                null,
                                List.of(new Member("data", v.type(), false, List.of())),
                                null,
                                List.of(),
                                List.of(),
                                true));
                wrapped.add(new Variant(v.caseName(), wrapper));
            }
            String kind = name + "Kind";
            out.addType(e, new EnumType(kind, kinds, List.of()));
            String baseName = "q_obj_" + name + "-base";
            out.addImplicit(
                    e,
                    new ObjectType(
                            baseName,
                            null,
                            List.of(new Member("type", kind, false, List.of())),
                            null,
                            List.of(),
                            List.of(),
                            true));
            if (body.has("discriminator")) {
                throw new SchemaException(e.where() + ": union '" + name + "' has 'discriminator' but no 'base'");
            }
            out.addType(e, new ObjectType(name, baseName, List.of(), "type", wrapped, features, false));
            return;
        }
        String baseName;
        if (base.isObject()) {
            baseName = "q_obj_" + name + "-base";
            out.addImplicit(e, new ObjectType(baseName, null, members(e, base), null, List.of(), List.of(), true));
        } else {
            baseName = text(e, body, "base");
        }
        String tag = optText(e, body, "discriminator");
        if (tag == null) {
            throw new SchemaException(e.where() + ": union '" + name + "' has 'base' but no 'discriminator'");
        }
        out.addType(e, new ObjectType(name, baseName, List.of(), tag, variants, features, false));
    }

    private String argType(Expression e, String owner, JsonNode data) {
        if (data == null) {
            return null;
        }
        if (data.isTextual()) {
            return data.asText();
        }
        String implicit = "q_obj_" + owner + "-arg";
        out.addImplicit(e, new ObjectType(implicit, null, members(e, data), null, List.of(), List.of(), true));
        return implicit;
    }

    private static String returns(Expression e, JsonNode r) {
        return r == null ? null : typeRef(e, r);
    }

    private static List<Member> members(Expression e, JsonNode data) {
        if (data == null) {
            return List.of();
        }
        if (!data.isObject()) {
            throw new SchemaException(e.where() + ": 'data' must be an object");
        }
        List<Member> members = new ArrayList<>();
        data.fields().forEachRemaining(f -> {
            boolean optional = f.getKey().startsWith("*");
            String memberName = optional ? f.getKey().substring(1) : f.getKey();
            JsonNode v = f.getValue();
            if (v.isObject()) {
                members.add(
                        new Member(memberName, typeRef(e, v.get("type")), optional, features(e, v.get("features"))));
            } else {
                members.add(new Member(memberName, typeRef(e, v), optional, List.of()));
            }
        });
        return members;
    }

    private static List<Variant> variants(Expression e, JsonNode data) {
        if (data == null || !data.isObject()) {
            throw new SchemaException(e.where() + ": 'data' must be an object of branches");
        }
        List<Variant> out = new ArrayList<>();
        data.fields().forEachRemaining(f -> {
            JsonNode v = f.getValue().isObject() ? f.getValue().get("type") : f.getValue();
            out.add(new Variant(f.getKey(), typeRef(e, v)));
        });
        return out;
    }

    private static List<EnumValue> enumValues(Expression e, JsonNode data) {
        if (data == null || !data.isArray()) {
            throw new SchemaException(e.where() + ": enum 'data' must be an array");
        }
        List<EnumValue> values = new ArrayList<>();
        for (JsonNode v : data) {
            if (v.isTextual()) {
                values.add(new EnumValue(v.asText(), List.of()));
            } else if (v.isObject() && v.path("name").isTextual()) {
                values.add(new EnumValue(v.get("name").asText(), features(e, v.get("features"))));
            } else {
                throw new SchemaException(e.where() + ": bad enum value " + v);
            }
        }
        return values;
    }

    private static String typeRef(Expression e, JsonNode v) {
        if (v != null && v.isTextual()) {
            return v.asText();
        }
        if (v != null && v.isArray() && v.size() == 1 && v.get(0).isTextual()) {
            return "[" + v.get(0).asText() + "]";
        }
        throw new SchemaException(e.where() + ": bad type reference " + v);
    }

    private static List<String> features(Expression e, JsonNode v) {
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode f : v) {
            out.add(f.isObject() ? text(e, (ObjectNode) f, "name") : f.asText());
        }
        return out;
    }

    private static boolean flag(Expression e, ObjectNode body, String key, boolean dflt) {
        JsonNode v = body.get(key);
        if (v == null) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new SchemaException(e.where() + ": '" + key + "' must be true or false");
        }
        return v.asBoolean();
    }

    private static String text(Expression e, ObjectNode body, String key) {
        JsonNode v = body.get(key);
        if (v == null || !v.isTextual()) {
            throw new SchemaException(e.where() + ": '" + key + "' must be a string");
        }
        return v.asText();
    }

    private static String optText(Expression e, ObjectNode body, String key) {
        return body.has(key) ? text(e, body, key) : null;
    }
}
