package io.qmpd.qapi.internal;

import java.util.List;

/**
 * A command as declared: argument type (an object type name, {@code null} for none), return
 * type ({@code null} for none), flags and features, and our doc text. Immutable.
 */
public record CommandDef(
        String name,
        String argType,
        String retType,
        boolean boxed,
        boolean allowOob,
        boolean allowPreconfig,
        boolean successResponse,
        List<String> features,
        String doc) {
    public CommandDef {
        features = List.copyOf(features);
    }
}
