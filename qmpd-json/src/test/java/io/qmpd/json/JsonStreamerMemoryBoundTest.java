package io.qmpd.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streamers sharing a bound on their partial input: past it, a value is dropped as one past 64 MiB is. */
class MemoryBoundTest {

    private static final int MIB = 1 << 20;

    private static final class Recorder implements JsonStreamer.Listener {
        final List<String> results = new ArrayList<>();

        @Override
        public void onValue(JsonNode value) {
            results.add(value.toString());
        }

        @Override
        public void onError(String desc) {
            results.add(desc);
        }
    }

    private static void feed(JsonStreamer s, String text) {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            s.feed(b);
        }
    }

    @Test
    void theStreamerThatWouldGoPastTheBoundDropsItsValueAndTheOthersGoOn() {
        MemoryBound memory = new MemoryBound(3L * MIB);
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        JsonStreamer a = new JsonStreamer(JsonLimits.QEMU, memory, ra);
        JsonStreamer b = new JsonStreamer(JsonLimits.QEMU, memory, rb);
        feed(a, "{\"s\": \"" + "a".repeat(MIB)); // about 2 MiB held: the token and its doubled buffer
        assertThat(memory.used()).isPositive().isLessThanOrEqualTo(3L * MIB);
        feed(b, "{\"s\": \"" + "b".repeat(MIB));
        assertThat(rb.results).containsExactly("JSON token size limit exceeded");
        feed(a, "\"}");
        assertThat(ra.results).containsExactly("{\"s\":\"" + "a".repeat(MIB) + "\"}");
        assertThat(memory.used()).as("given back once the value is parsed").isZero();
        // b's lexer starts afresh after the bytes it dropped, as after a value past 64 MiB
        feed(b, "{\"s\": \"" + "b".repeat(MIB) + "\"}");
        assertThat(rb.results).containsExactly("JSON token size limit exceeded", "{\"s\":\"" + "b".repeat(MIB) + "\"}");
        assertThat(memory.used()).isZero();
    }

    @Test
    void aResetGivesTheMemoryBack() {
        MemoryBound memory = new MemoryBound(Long.MAX_VALUE);
        JsonStreamer s = new JsonStreamer(JsonLimits.QEMU, memory, new Recorder());
        feed(s, "[\"" + "x".repeat(4 * MIB));
        assertThat(memory.used()).isGreaterThan(4L * MIB);
        s.reset();
        assertThat(memory.used()).isZero();
    }

    @Test
    void whatAStreamerKeepsBetweenValuesIsNotCharged() {
        MemoryBound memory = new MemoryBound(0);
        Recorder r = new Recorder();
        JsonStreamer s = new JsonStreamer(JsonLimits.QEMU, memory, r);
        feed(s, "{\"execute\": \"" + "q".repeat(30_000) + "\"}"); // buffers of 32 and 60 KiB
        assertThat(r.results).hasSize(1).allMatch(v -> v.startsWith("{\"execute\":"));
        assertThat(memory.used()).isZero();
    }
}
