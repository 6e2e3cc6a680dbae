package io.qmpd.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.LongPredicate;

/**
 * QEMU's classic JSON streamer (qobject/json-streamer.c, QEMU &lt;= 11.0): cuts the token stream
 * into top-level values. It counts braces and brackets and queues tokens; when both counts are
 * back to zero, or either drops below zero, it parses the queue and delivers one result. A lexical
 * error is reported at once and drops the queue. Before a token is queued the three limits are
 * checked with QEMU's exact conditions; exceeding one reports the limit and drops the queue.
 * Confined to the thread that owns the enclosing {@link JsonStreamer}.
 */
final class JsonMessageSplitter implements JsonLexer.TokenSink {

    private final JsonLimits limits;
    private final JsonStreamer.Listener listener;
    private final JsonTokenQueue queue;
    private final JsonParser parser = new JsonParser();

    // Owned by the streamer's thread.
    private int braceCount;
    private int bracketCount;
    private long results;

    JsonMessageSplitter(JsonLimits limits, JsonStreamer.Listener listener, LongPredicate mayGrow) {
        this.limits = limits;
        this.listener = listener;
        this.queue = new JsonTokenQueue((int) limits.maxTokenBytes(), mayGrow);
    }

    @Override
    public void token(JsonTokenType type, byte[] text, int length) {
        switch (type) {
            case LCURLY:
                braceCount++;
                break;
            case RCURLY:
                braceCount--;
                break;
            case LSQUARE:
                bracketCount++;
                break;
            case RSQUARE:
                bracketCount--;
                break;
            case ERROR:
                emitError("JSON parse error, stray '" + ModifiedUtf8.display(text, 0, length) + "'");
                return;
            case OVERSIZED: // past the limit, or the input's memory could not grow for it
                emitError("JSON token size limit exceeded");
                return;
            default:
                break;
        }
        if (queue.byteCount() + (long) length + 1 > limits.maxTokenBytes()) {
            emitError("JSON token size limit exceeded");
            return;
        }
        if (queue.size() + 1L > limits.maxTokens()) {
            emitError("JSON token count limit exceeded");
            return;
        }
        if ((long) braceCount + bracketCount > limits.maxNesting()) {
            emitError("JSON nesting depth limit exceeded");
            return;
        }
        if (!queue.add(type, text, length)) {
            emitError("JSON token size limit exceeded"); // the input's memory could not grow for it
            return;
        }
        if ((braceCount > 0 || bracketCount > 0) && braceCount >= 0 && bracketCount >= 0) {
            return;
        }
        JsonNode value = parser.parse(queue);
        String error = parser.error();
        clear();
        results++;
        if (value != null) {
            listener.onValue(value);
        } else {
            listener.onError(error);
        }
    }

    /** How many results have been delivered so far. */
    long results() {
        return results;
    }

    /** Drops queued tokens and counts. */
    void clear() {
        braceCount = 0;
        bracketCount = 0;
        queue.clear();
    }

    int queuedTokens() {
        return queue.size();
    }

    int queuedBytes() {
        return queue.byteCount();
    }

    long retainedCapacity() {
        return queue.retainedCapacity();
    }

    private void emitError(String desc) {
        clear();
        results++;
        listener.onError(desc);
    }
}
