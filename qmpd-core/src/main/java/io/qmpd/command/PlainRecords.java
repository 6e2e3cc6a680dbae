package io.qmpd.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads argument records from, and writes return records to, JSON trees for simple records, as
 * Jackson's databind does, so that the commands a session starts with ({@code qmp_capabilities},
 * the daemon's {@code chardev-add}) need no {@code ObjectMapper}: creating the first one costs tens
 * of milliseconds (docs/performance.md, "Start-up").
 *
 * <p>A record qualifies when nothing in it is annotated (but for {@code @JsonInclude(NON_NULL)}
 * on the class) and each component is a {@code String},
 * {@code JsonNode}, {@code boolean} or {@code Boolean} (read when present), or a {@code List},
 * {@code Long}, {@code Integer}, enum or record (only when absent). Values are what Jackson
 * gives: an absent member is null ({@code false} for a {@code boolean}), a {@code null} string is
 * null, a node is copied. Anything else (a present list or number, say) makes {@link #read}
 * return empty, and the registry then uses Jackson. {@link #write} does the same for records of
 * {@code String}, {@code boolean}, {@code Boolean} and {@code JsonNode} members: in component order,
 * a null member left out (the registry's {@code NON_NULL} inclusion).
 *
 * <p>It pays at start-up: in a fresh JVM the first binding through a new {@code ObjectMapper}
 * took 253 ms and this one 20 ms, most of it loading the tree classes both need
 * ({@code RecordBindingBenchmark} in qmpd-bench, docs/performance.md).
 * {@code PlainRecordsTest} compares every record it builds and writes, the server's own argument
 * records included, with what Jackson makes of the same tree: on a Jackson upgrade that changes
 * record binding the test fails, and this class follows Jackson (or leaves the record to it).
 *
 * <p>Thread-safe: the per-class analysis is cached in a concurrent map.
 */
final class PlainRecords {

    private enum Kind {
        STRING,
        NODE,
        BOOLEAN,
        PRIMITIVE_BOOLEAN,
        ABSENT_ONLY
    }

    /** A record's canonical constructor and components, or {@link #UNSUITED}. */
    private record Shape(Constructor<?> constructor, Method[] accessors, String[] names, Kind[] kinds) {}

    private static final Shape UNSUITED = new Shape(null, null, null, null);

    private final ConcurrentHashMap<Class<?>, Shape> shapes = new ConcurrentHashMap<>();

    <A> Optional<A> read(Class<A> type, ObjectNode args) {
        Shape shape = shapes.computeIfAbsent(type, PlainRecords::shape);
        if (shape == UNSUITED) {
            return Optional.empty();
        }
        Object[] values = new Object[shape.names().length];
        for (int i = 0; i < values.length; i++) {
            JsonNode node = args.get(shape.names()[i]);
            Kind kind = shape.kinds()[i];
            if (node == null) {
                values[i] = kind == Kind.PRIMITIVE_BOOLEAN ? Boolean.FALSE : null;
            } else if (kind == Kind.NODE) {
                values[i] = node.deepCopy();
            } else if (kind == Kind.STRING && (node.isTextual() || node.isNull())) {
                values[i] = node.textValue();
            } else if ((kind == Kind.BOOLEAN || kind == Kind.PRIMITIVE_BOOLEAN) && node.isBoolean()) {
                values[i] = node.booleanValue();
            } else {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(type.cast(shape.constructor().newInstance(values)));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("arguments of type " + type.getName() + ": " + e, e);
        }
    }

    /** The record as a JSON object, or empty when Jackson must write it. */
    Optional<ObjectNode> write(Object value) {
        Shape shape =
                value instanceof Record ? shapes.computeIfAbsent(value.getClass(), PlainRecords::shape) : UNSUITED;
        if (shape == UNSUITED) {
            return Optional.empty();
        }
        for (Kind kind : shape.kinds()) {
            if (kind == Kind.ABSENT_ONLY) {
                return Optional.empty();
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < shape.names().length; i++) {
            Object member;
            try {
                member = shape.accessors()[i].invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(
                        "return value of type " + value.getClass().getName() + ": " + e, e);
            }
            if (member instanceof String s) {
                out.put(shape.names()[i], s);
            } else if (member instanceof Boolean b) {
                out.put(shape.names()[i], b);
            } else if (member instanceof JsonNode n) {
                out.set(shape.names()[i], n.deepCopy());
            }
        }
        return Optional.of(out);
    }

    private static Shape shape(Class<?> type) {
        if (!type.isRecord() || !onlyNonNullInclusion(type)) {
            return UNSUITED;
        }
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        String[] names = new String[components.length];
        Kind[] kinds = new Kind[components.length];
        Method[] accessors = new Method[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                types[i] = c.getType();
                names[i] = c.getName();
                kinds[i] = kind(c.getType());
                accessors[i] = c.getAccessor();
                if (kinds[i] == null
                        || annotated(c)
                        || annotated(c.getAccessor())
                        || annotated(type.getDeclaredField(c.getName()))) {
                    return UNSUITED;
                }
            }
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            for (Parameter parameter : constructor.getParameters()) {
                if (annotated(parameter)) {
                    return UNSUITED;
                }
            }
            constructor.setAccessible(true);
            for (Method accessor : accessors) {
                accessor.setAccessible(true);
            }
            return new Shape(constructor, accessors, names, kinds);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return UNSUITED;
        }
    }

    /** Null when the type is left to Jackson. */
    private static Kind kind(Class<?> type) {
        if (type == String.class) {
            return Kind.STRING;
        } else if (type == JsonNode.class) {
            return Kind.NODE;
        } else if (type == Boolean.class) {
            return Kind.BOOLEAN;
        } else if (type == boolean.class) {
            return Kind.PRIMITIVE_BOOLEAN;
        } else if (type == List.class
                || type == Long.class
                || type == Integer.class
                || type.isEnum()
                || type.isRecord()) {
            return Kind.ABSENT_ONLY;
        }
        return null;
    }

    /** Whether the class's only annotation, if any, is {@code @JsonInclude(NON_NULL)}, the registry's own rule. */
    private static boolean onlyNonNullInclusion(Class<?> type) {
        for (Annotation a : type.getDeclaredAnnotations()) {
            if (!(a instanceof JsonInclude include) || include.value() != JsonInclude.Include.NON_NULL) {
                return false;
            }
        }
        return true;
    }

    private static boolean annotated(AnnotatedElement element) {
        return element.getDeclaredAnnotations().length > 0;
    }
}
