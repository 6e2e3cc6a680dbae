package io.qmpd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmpd.json.JsonStreamer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reading a small request, {@code {"execute": "query-version", "id": 1}} and a newline, with
 * {@link JsonStreamer}: all bytes in one buffer, and one byte per feed as a QMP monitor reads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JsonStreamerBenchmark {

    private static final byte[] REQUEST =
            "{\"execute\": \"query-version\", \"id\": 1}\n".getBytes(StandardCharsets.US_ASCII);

    private final ByteBuffer whole = ByteBuffer.wrap(REQUEST);
    private final ByteBuffer oneByte = ByteBuffer.allocate(1);
    private JsonStreamer streamer;
    private int values;
    private JsonNode last;

    @Setup
    public void setUp() {
        streamer = new JsonStreamer(new JsonStreamer.Listener() {
            @Override
            public void onValue(JsonNode value) {
                values++;
                last = value;
            }

            @Override
            public void onError(String desc) {
                throw new IllegalStateException("unexpected error: " + desc);
            }
        });
        int before = values;
        smallRequest();
        if (values != before + 1 || !last.path("execute").asText().equals("query-version")) {
            throw new IllegalStateException("streamer did not deliver the request");
        }
    }

    @Benchmark
    public JsonNode smallRequest() {
        whole.clear();
        while (whole.hasRemaining()) {
            streamer.feed(whole);
        }
        return last;
    }

    @Benchmark
    public JsonNode smallRequestByteByByte() {
        for (byte b : REQUEST) {
            oneByte.clear();
            oneByte.put(0, b);
            streamer.feed(oneByte);
        }
        return last;
    }
}
