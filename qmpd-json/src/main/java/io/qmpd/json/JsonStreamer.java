package io.qmpd.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;

/**
 * Turns a byte stream in QEMU's JSON dialect into top-level values and errors, exactly as QEMU's
 * classic json-lexer/json-streamer/json-parser do (QEMU &lt;= 11.0).
 *
 * <p>Each result is one call to the {@link Listener}: a value, or an error text such as
 * {@code JSON parse error, stray '@'}, {@code JSON parse error, expecting value} or
 * {@code JSON token size limit exceeded}. Error texts hold token bytes decoded as QEMU's writer
 * would print them (every invalid UTF-8 sequence becomes U+FFFD).
 *
 * <p>Confined to one thread. The listener runs on that thread inside {@link #feed} and must not
 * call {@link #feed} or {@link #reset} itself.
 */
public final class JsonStreamer {

    /** Receives each top-level result: a value, or an error text such as {@code JSON parse error, stray '@'}. */
    public interface Listener {
        void onValue(JsonNode value);

        void onError(String desc);
    }

    /** Largest {@link JsonLimits#maxTokenBytes()} this implementation can hold in memory. */
    static final long MAX_SUPPORTED_TOKEN_BYTES = 1L << 30;

    private final JsonLexer lexer;
    private final JsonMessageSplitter splitter;

    // Owned by the streamer's thread.
    private boolean feeding;

    public JsonStreamer(JsonLimits limits, Listener listener) {
        if (limits.maxTokenBytes() > MAX_SUPPORTED_TOKEN_BYTES) {
            throw new IllegalArgumentException("maxTokenBytes: " + limits.maxTokenBytes()
                    + " (expected: <= " + MAX_SUPPORTED_TOKEN_BYTES + ")");
        }
        if (listener == null) {
            throw new IllegalArgumentException("listener: null (expected: a listener)");
        }
        this.splitter = new JsonMessageSplitter(limits, listener);
        this.lexer = new JsonLexer((int) limits.maxTokenBytes(), splitter);
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
        enter();
        long before = splitter.results();
        int position = input.position();
        int limit = input.limit();
        try {
            if (input.hasArray()) {
                byte[] array = input.array();
                int offset = input.arrayOffset();
                while (position < limit) {
                    lexer.feed(array[offset + position++]);
                    if (splitter.results() != before) {
                        return true;
                    }
                }
            } else {
                while (position < limit) {
                    lexer.feed(input.get(position++));
                    if (splitter.results() != before) {
                        return true;
                    }
                }
            }
            return false;
        } finally {
            input.position(position);
            feeding = false;
        }
    }

    /** Forgets partial input and returns the lexer to its start state (a client disconnected). */
    public void reset() {
        if (feeding) {
            throw new IllegalStateException("state: delivering a result (reset() called from the listener)");
        }
        lexer.reset();
        splitter.clear();
    }

    /** Bytes of partial input held right now: the token being lexed and the queued tokens. */
    long pendingBytes() {
        return lexer.pendingLength() + (long) splitter.queuedBytes();
    }

    /** Tokens queued for the value being read. */
    int queuedTokens() {
        return splitter.queuedTokens();
    }

    /** Bytes held by the lexer and queue buffers, used or not. */
    long retainedCapacity() {
        return lexer.retainedCapacity() + splitter.retainedCapacity();
    }

    private void enter() {
        if (feeding) {
            throw new IllegalStateException("state: delivering a result (feed() called from the listener)");
        }
        feeding = true;
    }
}
