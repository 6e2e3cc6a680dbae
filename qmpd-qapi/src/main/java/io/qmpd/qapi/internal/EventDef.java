package io.qmpd.qapi.internal;

import java.util.List;

/** An event as declared: data type ({@code null} for none), features and our doc text. Immutable. */
public record EventDef(String name, String argType, boolean boxed, List<String> features, String doc) {
    public EventDef {
        features = List.copyOf(features);
    }
}
