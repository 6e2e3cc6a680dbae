package io.qmpd.qapi.internal;

import java.util.List;
import java.util.Objects;

/**
 * A type of the schema. Types refer to each other by name ({@code "str"}, {@code "ChardevInfo"},
 * {@code "[ChardevInfo]"} for arrays); a {@link TypeTable} resolves names. Immutable.
 */
public sealed interface QapiType {

    String name();

    List<String> features();

    /** A builtin: {@code str}, {@code int}, {@code uint8}, ..., {@code any}; {@code jsonType} is introspection's word. */
    record Builtin(String name, String jsonType) implements QapiType {
        public List<String> features() {
            return List.of();
        }

        /** Every integer type (and {@code size}) is shown as {@code int} by introspection. */
        public boolean isInteger() {
            return jsonType.equals("int");
        }
    }

    /** An enumeration. */
    record EnumType(String name, List<EnumValue> values, List<String> features) implements QapiType {
        public EnumType {
            values = List.copyOf(values);
            features = List.copyOf(features);
        }

        public boolean accepts(String value) {
            return values.stream().anyMatch(v -> v.name().equals(value));
        }
    }

    /** One value of an enumeration. */
    record EnumValue(String name, List<String> features) {
        public EnumValue {
            features = List.copyOf(features);
        }
    }

    /** {@code [element]}. */
    record ArrayType(String name, String element) implements QapiType {
        public List<String> features() {
            return List.of();
        }
    }

    /**
     * A struct or a flat union: {@code base} members first, then {@code members}; a union has a
     * {@code tag} (a base member of enum type) and a branch type per tag value.
     */
    record ObjectType(
            String name,
            String base,
            List<Member> members,
            String tag,
            List<Variant> variants,
            List<String> features,
            boolean implicit)
            implements QapiType {
        public ObjectType {
            Objects.requireNonNull(name, "name");
            members = List.copyOf(members);
            variants = List.copyOf(variants);
            features = List.copyOf(features);
        }

        public boolean isUnion() {
            return tag != null;
        }
    }

    /** A type accepting one of several JSON types, each mapped to a branch type. */
    record AlternateType(String name, List<Variant> branches, List<String> features) implements QapiType {
        public AlternateType {
            branches = List.copyOf(branches);
            features = List.copyOf(features);
        }
    }

    /** A member of an object type; {@code optional} for {@code *name}. */
    record Member(String name, String type, boolean optional, List<String> features) {
        public Member {
            features = List.copyOf(features);
        }
    }

    /** A union branch ({@code case} = tag value) or an alternate branch ({@code case} = its key). */
    record Variant(String caseName, String type) {}
}
