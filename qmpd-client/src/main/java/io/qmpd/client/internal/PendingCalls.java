package io.qmpd.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Commands sent and not yet answered, keyed by their id's JSON text (ids may be any JSON value).
 * Commands sent without an id wait in the order they were sent: a server answers in-band commands
 * in order, so a reply without an id is the oldest one's. Thread-safe: whoever removes an entry
 * first (the reply, the timeout, the cancellation or the disconnect) is the only one to complete
 * it; a call without an id that ends otherwise keeps its place until its reply comes, which is
 * then dropped.
 */
final class PendingCalls {

    /** The key of calls without an id ("" is no JSON text). */
    static final String NO_ID = "";

    private final Map<String, PendingCall> calls = new ConcurrentHashMap<>();
    /** Calls without an id, oldest first; guarded by itself. */
    private final ArrayDeque<PendingCall> unnamed = new ArrayDeque<>();

    static String key(JsonNode id) {
        return id == null ? NO_ID : id.toString();
    }

    /** @return false if a call with that id is already waiting (never for calls without an id) */
    boolean add(PendingCall call) {
        if (call.key().equals(NO_ID)) {
            synchronized (unnamed) {
                unnamed.add(call);
            }
            return true;
        }
        return calls.putIfAbsent(call.key(), call) == null;
    }

    /** The call a reply with this key answers, or null when there is none or it has ended already. */
    PendingCall take(String key) {
        if (!key.equals(NO_ID)) {
            return calls.remove(key);
        }
        PendingCall oldest;
        synchronized (unnamed) {
            oldest = unnamed.poll();
        }
        return oldest == null || oldest.future().isDone() ? null : oldest;
    }

    /** Whether {@code call} was still waiting; a call without an id stays in its place (see the class). */
    boolean remove(PendingCall call) {
        if (call.key().equals(NO_ID)) {
            return !call.future().isDone();
        }
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
        synchronized (unnamed) {
            all.addAll(unnamed);
            unnamed.clear();
        }
        return all;
    }

    int size() {
        synchronized (unnamed) {
            return calls.size() + unnamed.size();
        }
    }
}
