package io.qmpd.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;

/**
 * Turns a byte stream in QEMU's JSON dialect into top-level values and errors, exactly as QEMU's
 * classic json-lexer/json-streamer/json-parser do (QEMU <= 11.0). Confined to one thread.
 *
 * <p>API CONTRACT (stub, to be implemented): see the helper prompt.
 */
public final class JsonStreamer {

    /** Receives each top-level result: a value, or an error text such as {@code JSON parse error, stray '@'}. */
    public interface Listener {
        void onValue(JsonNode value);

        void onError(String desc);
    }

    private final JsonLimits limits;
    private final Listener listener;

    public JsonStreamer(JsonLimits limits, Listener listener) {
        this.limits = limits;
        this.listener = listener;
    }

    public JsonStreamer(Listener listener) {
        this(JsonLimits.QEMU, listener);
    }

    /**
     * Consumes bytes from {@code input} until one consumed byte has produced at least one result
     * (all results that byte produced are delivered to the listener before this returns), or until
     * {@code input} is empty. Returns whether any result was delivered.
     */
    public boolean feed(ByteBuffer input) {
        throw new UnsupportedOperationException("stub");
    }

    /** Forgets partial input and returns the lexer to its start state (a client disconnected). */
    public void reset() {
        throw new UnsupportedOperationException("stub");
    }
}
