package io.qmpd.testing;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What a module's public API shows of its insides: every type that a public or protected member of
 * a public type names in its signature (parameters, results, thrown types, fields, supertypes,
 * type arguments), kept when it is one of the insides. A test asserts the answer is empty, so an
 * internal type that slips into the API fails the build.
 */
public final class ApiSurface {

    private ApiSurface() {}

    /**
     * {@code "Owner.member -> Internal"} for each internal type the API of {@code roots} (and of
     * their public nested types) names, sorted.
     */
    public static List<String> leaks(Collection<Class<?>> roots, Predicate<Class<?>> internal) {
        Set<String> found = new TreeSet<>();
        for (Class<?> root : roots) {
            scan(root, internal, found);
        }
        return new ArrayList<>(found);
    }

    private static void scan(Class<?> type, Predicate<Class<?>> internal, Set<String> found) {
        if (!Modifier.isPublic(type.getModifiers())) {
            return;
        }
        String owner = type.getName();
        record(owner + " extends", type.getGenericSuperclass(), internal, found);
        for (Type t : type.getGenericInterfaces()) {
            record(owner + " implements", t, internal, found);
        }
        for (Field f : type.getDeclaredFields()) {
            if (visible(f)) {
                record(owner + "." + f.getName(), f.getGenericType(), internal, found);
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            scanExecutable(owner + ".<init>", c, internal, found);
        }
        for (Method m : type.getDeclaredMethods()) {
            if (!m.isSynthetic()) {
                scanExecutable(owner + "." + m.getName() + "()", m, internal, found);
                if (visible(m)) {
                    record(owner + "." + m.getName() + "()", m.getGenericReturnType(), internal, found);
                }
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            scan(nested, internal, found);
        }
    }

    private static void scanExecutable(String where, Executable e, Predicate<Class<?>> internal, Set<String> found) {
        if (!visible(e)) {
            return;
        }
        for (Type p : e.getGenericParameterTypes()) {
            record(where, p, internal, found);
        }
        for (Type x : e.getGenericExceptionTypes()) {
            record(where, x, internal, found);
        }
    }

    private static boolean visible(Member m) {
        int mod = m.getModifiers();
        return Modifier.isPublic(mod) || Modifier.isProtected(mod);
    }

    private static void record(String where, Type type, Predicate<Class<?>> internal, Set<String> found) {
        if (type instanceof Class<?> c) {
            Class<?> element = c;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            if (internal.test(element)) {
                found.add(where + " -> " + element.getName());
            }
        } else if (type instanceof ParameterizedType p) {
            record(where, p.getRawType(), internal, found);
            for (Type arg : p.getActualTypeArguments()) {
                record(where, arg, internal, found);
            }
        } else if (type instanceof GenericArrayType a) {
            record(where, a.getGenericComponentType(), internal, found);
        } else if (type instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                record(where, b, internal, found);
            }
            for (Type b : w.getLowerBounds()) {
                record(where, b, internal, found);
            }
        }
    }
}
