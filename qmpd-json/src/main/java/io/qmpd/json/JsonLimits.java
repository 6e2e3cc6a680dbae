package io.qmpd.json;

/**
 * The three limits QEMU's JSON streamer puts on one top-level value.
 *
 * @param maxTokenBytes total bytes of all tokens of one value (QEMU: 64 MiB)
 * @param maxTokens     tokens in one value (QEMU: 2,097,152)
 * @param maxNesting    open brackets and braces at once (QEMU: 1024)
 */
public record JsonLimits(long maxTokenBytes, int maxTokens, int maxNesting) {

    /** QEMU's values: MAX_TOKEN_SIZE, MAX_TOKEN_COUNT and MAX_NESTING of json-streamer.c. */
    public static final JsonLimits QEMU = new JsonLimits(64L << 20, 2 << 20, 1 << 10);

    public JsonLimits {
        if (maxTokenBytes <= 0) {
            throw new IllegalArgumentException("maxTokenBytes: " + maxTokenBytes + " (expected: > 0)");
        }
        if (maxTokens <= 0) {
            throw new IllegalArgumentException("maxTokens: " + maxTokens + " (expected: > 0)");
        }
        if (maxNesting <= 0) {
            throw new IllegalArgumentException("maxNesting: " + maxNesting + " (expected: > 0)");
        }
    }
}
