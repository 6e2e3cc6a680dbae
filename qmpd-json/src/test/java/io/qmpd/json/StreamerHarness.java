package io.qmpd.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Feeds bytes to a {@link JsonStreamer} in chosen pieces and records what comes out. */
final class StreamerHarness implements JsonStreamer.Listener {

    /** One result: a value or an error text. */
    record Result(JsonNode value, String error) {
        static Result error(String desc) {
            return new Result(null, desc);
        }

        @Override
        public String toString() {
            return value != null ? "value " + value : "error " + error;
        }
    }

    final List<Result> results = new ArrayList<>();
    final JsonStreamer streamer;

    StreamerHarness(JsonLimits limits) {
        streamer = new JsonStreamer(limits, this);
    }

    StreamerHarness() {
        this(JsonLimits.QEMU);
    }

    @Override
    public void onValue(JsonNode value) {
        assertThat(value).isNotNull();
        results.add(new Result(value, null));
    }

    @Override
    public void onError(String desc) {
        assertThat(desc).isNotNull();
        results.add(Result.error(desc));
    }

    /**
     * Feeds {@code bytes[from, to)} with repeated {@code feed} calls and checks the contract: a
     * call that returns true has delivered results and stopped right after the byte that made
     * them; a call that returns false has delivered nothing and used up the buffer.
     */
    StreamerHarness feed(byte[] bytes, int from, int to) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, from, to - from);
        while (buffer.hasRemaining()) {
            int before = results.size();
            int position = buffer.position();
            boolean delivered = streamer.feed(buffer);
            assertThat(buffer.position()).isGreaterThan(position);
            if (delivered) {
                assertThat(results.size()).isGreaterThan(before);
                // Feeding the bytes before the last one again from a fresh copy would not have produced
                // anything more: checked indirectly by the chunking tests.
            } else {
                assertThat(results.size()).isEqualTo(before);
                assertThat(buffer.hasRemaining()).isFalse();
            }
        }
        return this;
    }

    StreamerHarness feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    StreamerHarness feed(String ascii) {
        return feed(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    static List<Result> whole(byte[] bytes) {
        return new StreamerHarness().feed(bytes).results;
    }

    static List<Result> whole(String latin1) {
        return whole(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    static List<Result> byteByByte(byte[] bytes, JsonLimits limits) {
        StreamerHarness harness = new StreamerHarness(limits);
        for (int i = 0; i < bytes.length; i++) {
            harness.feed(bytes, i, i + 1);
        }
        return harness.results;
    }

    static List<Result> splitAt(byte[] bytes, int at, JsonLimits limits) {
        return new StreamerHarness(limits).feed(bytes, 0, at).feed(bytes, at, bytes.length).results;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A value result, written as standard JSON. */
    static Result value(String json) {
        try {
            return new Result(MAPPER.readTree(json), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result error(String desc) {
        return Result.error(desc);
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
