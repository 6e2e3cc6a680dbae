package io.qmpd.qapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.json.QDictOrder;
import io.qmpd.qapi.GHashTableOrder;
import io.qmpd.qapi.internal.QapiType.AlternateType;
import io.qmpd.qapi.internal.QapiType.ArrayType;
import io.qmpd.qapi.internal.QapiType.Builtin;
import io.qmpd.qapi.internal.QapiType.EnumType;
import io.qmpd.qapi.internal.QapiType.Member;
import io.qmpd.qapi.internal.QapiType.ObjectType;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Checks a value against a type the way QEMU's generated visitors drive the QObject input
 * visitor (qapi/qobject-input-visitor.c, qapi/qapi-visit-core.c), and fails with QEMU's text on
 * the first problem: members in declaration order (base first, then the union branch), a missing
 * member when it is visited, leftovers ({@code is unexpected}) when a struct's visit ends, the
 * first leftover in GHashTable order. One instance per check; confined to the calling thread.
 */
public final class InputVisitor {

    /** A validation failure with QEMU's text. */
    public static final class Failure extends RuntimeException {
        public Failure(String message) {
            super(message, null, false, false);
        }
    }

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** A struct or list being visited, with the name it was visited under ({@code null} at the root or in a list). */
    private abstract static class Frame {
        final String name;

        Frame(String name) {
            this.name = name;
        }
    }

    private static final class DictFrame extends Frame {
        final ObjectNode dict;
        /** Members found, in the order visited; their names are distinct (QAPI forbids clashes). */
        final List<String> visited = new ArrayList<>();

        DictFrame(String name, ObjectNode dict) {
            super(name);
            this.dict = dict;
        }

        /**
         * The leftover QEMU names first, or null when every key was visited. Only on that error
         * path is the dict's hash table rebuilt: every key inserted in QDict order, then the
         * visited ones removed in visit order, since the table's order depends on that history.
         */
        String firstUnvisited() {
            if (visited.size() == dict.size()) {
                return null;
            }
            List<String> keys = new ArrayList<>();
            dict.fieldNames().forEachRemaining(keys::add);
            GHashTableOrder table = new GHashTableOrder();
            for (String k : QDictOrder.iterationOrder(keys)) {
                table.insert(k);
            }
            for (String k : visited) {
                table.remove(k);
            }
            return table.first();
        }
    }

    private static final class ListFrame extends Frame {
        int index;

        ListFrame(String name) {
            super(name);
        }
    }

    private final TypeTable types;
    private final Deque<Frame> stack = new ArrayDeque<>();

    public InputVisitor(TypeTable types) {
        this.types = types;
    }

    /** Visits {@code args} as the root struct of a command's or event's argument type ({@code null}: none). */
    public void visitRoot(String argType, ObjectNode args) {
        ObjectType type = types.object(argType == null ? TypeTable.EMPTY : argType);
        visitStruct(null, type, args);
    }

    private void visit(String name, QapiType type, JsonNode value) {
        if (type instanceof ObjectType o) {
            visitStruct(name, o, value);
        } else if (type instanceof ArrayType a) {
            visitList(name, a, value);
        } else if (type instanceof EnumType e) {
            if (!value.isTextual()) {
                throw invalidType(name, "string");
            }
            if (!e.accepts(value.asText())) {
                throw new Failure("Parameter '" + (name == null ? "null" : name) + "' does not accept value '"
                        + value.asText() + "'");
            }
        } else if (type instanceof AlternateType alt) {
            visitAlternate(name, alt, value);
        } else {
            visitBuiltin(name, (Builtin) type, value);
        }
    }

    private void visitStruct(String name, ObjectType type, JsonNode value) {
        if (!value.isObject()) {
            throw invalidType(name, "object");
        }
        DictFrame frame = new DictFrame(name, (ObjectNode) value);
        stack.push(frame);
        visitMembers(frame, type);
        String left = frame.firstUnvisited();
        if (left != null) {
            throw new Failure("Parameter '" + fullName(left) + "' is unexpected");
        }
        stack.pop();
    }

    private void visitMembers(DictFrame frame, ObjectType type) {
        for (Member m : types.allMembers(type)) {
            JsonNode v = frame.dict.get(m.name());
            if (v == null) {
                if (m.optional()) {
                    continue;
                }
                throw new Failure("Parameter '" + fullName(m.name()) + "' is missing");
            }
            frame.visited.add(m.name());
            visit(m.name(), types.get(m.type()), v);
        }
        if (type.isUnion()) {
            visitMembers(frame, types.branch(type, frame.dict.get(type.tag()).asText()));
        }
    }

    private void visitList(String name, ArrayType type, JsonNode value) {
        if (!value.isArray()) {
            throw invalidType(name, "array");
        }
        ListFrame frame = new ListFrame(name);
        stack.push(frame);
        QapiType element = types.get(type.element());
        Iterator<JsonNode> it = value.elements();
        while (it.hasNext()) {
            visit(null, element, it.next());
            frame.index++;
        }
        stack.pop();
    }

    /** Picks the branch by JSON type as the generated alternate visitor does, else fails naming the alternate. */
    private void visitAlternate(String name, AlternateType alt, JsonNode value) {
        for (QapiType.Variant b : alt.branches()) {
            QapiType t = types.get(b.type());
            if (jsonTypeMatches(t, value)) {
                visit(name, t, value);
                return;
            }
        }
        throw new Failure(
                "Invalid parameter type for '" + (name == null ? "null" : name) + "', expected: " + alt.name());
    }

    private static boolean jsonTypeMatches(QapiType t, JsonNode v) {
        if (t instanceof ObjectType) {
            return v.isObject();
        }
        if (t instanceof ArrayType) {
            return v.isArray();
        }
        if (t instanceof EnumType) {
            return v.isTextual();
        }
        if (t instanceof Builtin b) {
            return switch (b.jsonType()) {
                case "string" -> v.isTextual();
                case "int", "number" -> v.isNumber();
                case "boolean" -> v.isBoolean();
                case "null" -> v.isNull();
                default -> true;
            };
        }
        return false;
    }

    private void visitBuiltin(String name, Builtin type, JsonNode v) {
        switch (type.name()) {
            case "str" -> require(v.isTextual(), name, "string");
            case "bool" -> require(v.isBoolean(), name, "boolean");
            case "number" -> require(v.isNumber(), name, "number");
            case "null" -> require(v.isNull(), name, "null");
            case "any" -> {}
            case "int", "int64" -> int64(name, v);
            case "int8" -> range(name, int64(name, v), -128, 127, "int8");
            case "int16" -> range(name, int64(name, v), -32768, 32767, "int16");
            case "int32" -> range(name, int64(name, v), Integer.MIN_VALUE, Integer.MAX_VALUE, "int32");
            case "uint64", "size" -> uint64(name, v);
            case "uint8" -> urange(name, uint64(name, v), 0xFFL, "uint8");
            case "uint16" -> urange(name, uint64(name, v), 0xFFFFL, "uint16");
            case "uint32" -> urange(name, uint64(name, v), 0xFFFF_FFFFL, "uint32");
            default -> throw new IllegalStateException("builtin: " + type.name());
        }
    }

    private long int64(String name, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw invalidType(name, "integer");
        }
        return v.asLong();
    }

    /** QEMU accepts negative integers for unsigned types (they wrap), so this returns the bits. */
    private long uint64(String name, JsonNode v) {
        if (v.isIntegralNumber()) {
            BigInteger b = v.bigIntegerValue();
            if (b.signum() >= 0 && b.compareTo(UINT64_MAX) <= 0 || v.canConvertToLong()) {
                return b.longValue();
            }
        }
        throw new Failure("Parameter '" + fullName(name) + "' expects uint64");
    }

    private static void range(String name, long value, long min, long max, String word) {
        if (value < min || value > max) {
            throw new Failure("Parameter '" + (name == null ? "null" : name) + "' expects " + word);
        }
    }

    private static void urange(String name, long bits, long max, String word) {
        if (Long.compareUnsigned(bits, max) > 0) {
            throw new Failure("Parameter '" + (name == null ? "null" : name) + "' expects " + word);
        }
    }

    private void require(boolean ok, String name, String word) {
        if (!ok) {
            throw invalidType(name, word);
        }
    }

    private Failure invalidType(String name, String word) {
        return new Failure("Invalid parameter type for '" + fullName(name) + "', expected: " + word);
    }

    /** QEMU's full_name(): {@code a.b}, {@code a[0]}, with the root struct nameless. */
    private String fullName(String name) {
        StringBuilder sb = new StringBuilder();
        String n = name;
        for (Frame f : stack) { // innermost first
            if (f instanceof DictFrame) {
                sb.insert(0, n == null ? "<anonymous>" : n).insert(0, '.');
            } else {
                sb.insert(0, "[" + ((ListFrame) f).index + "]");
            }
            n = f.name;
        }
        if (n != null) {
            sb.insert(0, n);
        } else if (sb.length() > 0 && sb.charAt(0) == '.') {
            sb.deleteCharAt(0);
        } else if (sb.length() == 0) {
            return "<anonymous>";
        }
        return sb.toString();
    }
}
