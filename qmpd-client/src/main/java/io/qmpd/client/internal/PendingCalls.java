package io.qmpd.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Commands sent and not yet answered, keyed by their id's JSON text (ids may be any JSON value;
 * a command sent without an id waits under {@link #NO_ID}). Thread-safe: whoever removes an entry
 * first (the reply, the timeout, the cancellation or the disconnect) is the only one to complete it.
 */
final class PendingCalls {

    /** The key of the one call that may be in flight without an id ("" is no JSON text). */
    static final String NO_ID = "";

    private final Map<String, PendingCall> calls = new ConcurrentHashMap<>();

    static String key(JsonNode id) {
        return id == null ? NO_ID : id.toString();
    }

    /** @return false if a call with that key is already waiting */
    boolean add(PendingCall call) {
        return calls.putIfAbsent(call.key(), call) == null;
    }

    PendingCall take(String key) {
        return calls.remove(key);
    }

    boolean remove(PendingCall call) {
        return calls.remove(call.key(), call);
    }

    /** Removes and returns every waiting call. */
    List<PendingCall> drain() {
        List<PendingCall> all = new ArrayList<>();
        for (String key : List.copyOf(calls.keySet())) {
            PendingCall call = calls.remove(key);
            if (call != null) {
                all.add(call);
            }
        }
        return all;
    }

    int size() {
        return calls.size();
    }
}
