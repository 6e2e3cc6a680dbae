package io.qmpd.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.Objects;

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

    /** What a streamer keeps between values; only what it holds beyond this is charged to its memory. */
    static final long KEPT_BETWEEN_VALUES =
            JsonLexer.RETAINED_CAPACITY + JsonTokenQueue.RETAINED_BYTES + 5L * JsonTokenQueue.RETAINED_TOKENS;

    private final JsonLexer lexer;
    private final JsonMessageSplitter splitter;
    private final MemoryBound memory;
    /** Bytes taken from memory now. */
    private long charged;

    // Owned by the streamer's thread.
    private boolean feeding;

    public JsonStreamer(JsonLimits limits, Listener listener) {
        this(limits, MemoryBound.UNBOUNDED, listener);
    }

    /**
     * A streamer whose partial input shares {@code memory} with others: when the input held would
     * take it past its bound, the partial value is dropped with {@code JSON token size limit
     * exceeded}, as a value past QEMU's size limit is, and lexing starts afresh. What a streamer
     * keeps between values ({@link #KEPT_BETWEEN_VALUES}, a little over 148 KiB) is not counted.
     */
    public JsonStreamer(JsonLimits limits, MemoryBound memory, Listener listener) {
        if (limits.maxTokenBytes() > MAX_SUPPORTED_TOKEN_BYTES) {
            throw new IllegalArgumentException(
                    "maxTokenBytes: " + limits.maxTokenBytes() + " (expected: <= " + MAX_SUPPORTED_TOKEN_BYTES + ")");
        }
        if (listener == null) {
            throw new IllegalArgumentException("listener: null (expected: a listener)");
        }
        this.memory = Objects.requireNonNull(memory, "memory");
        this.splitter = new JsonMessageSplitter(limits, listener, this::mayGrow);
        this.lexer = new JsonLexer((int) limits.maxTokenBytes(), splitter, this::mayGrow);
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
        boolean delivered = lex(input);
        charge(); // gives back what the buffers shrank by
        return delivered;
    }

    /**
     * Asked before a buffer grows by {@code bytes}: takes from memory what the buffers would then
     * hold beyond what a streamer keeps between values; false if memory refuses.
     */
    private boolean mayGrow(long bytes) {
        long wanted = Math.max(0, retainedCapacity() + bytes - KEPT_BETWEEN_VALUES);
        long more = wanted - charged;
        if (more > 0) {
            if (!memory.tryTake(more)) {
                return false;
            }
            charged = wanted;
        }
        return true;
    }

    /** Brings the charge in line with the buffers held now, which only shrank since they grew. */
    private void charge() {
        long wanted = Math.max(0, retainedCapacity() - KEPT_BETWEEN_VALUES);
        if (wanted < charged) {
            memory.give(charged - wanted);
            charged = wanted;
        }
    }

    private boolean lex(ByteBuffer input) {
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
        charge();
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
