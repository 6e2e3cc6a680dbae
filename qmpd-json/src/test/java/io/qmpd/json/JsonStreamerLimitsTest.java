package io.qmpd.json;

import static io.qmpd.json.StreamerHarness.error;
import static io.qmpd.json.StreamerHarness.latin1;
import static io.qmpd.json.StreamerHarness.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmpd.json.StreamerHarness.Result;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** QEMU's three limits with their exact conditions, and what the rest of the input does after. */
class JsonStreamerLimitsTest {

    private static final String EV = "JSON parse error, expecting value";
    private static final String SIZE = "JSON token size limit exceeded";
    private static final String COUNT = "JSON token count limit exceeded";
    private static final String NESTING = "JSON nesting depth limit exceeded";

    /** 16 token bytes, 5 tokens, nesting 3. */
    private static final JsonLimits SMALL = new JsonLimits(16, 5, 3);

    /** Only the nesting limit is small. */
    private static final JsonLimits SHALLOW = new JsonLimits(1000, 1000, 3);

    private static List<Result> small(String input) {
        return fed(input, SMALL);
    }

    private static List<Result> fed(String input, JsonLimits limits) {
        byte[] bytes = latin1(input);
        List<Result> results = new StreamerHarness(limits).feed(bytes).results;
        assertThat(StreamerHarness.byteByByte(bytes, limits)).isEqualTo(results);
        return results;
    }

    @Test
    void aTokenFitsWhenItsBytesPlusOneDoNotExceedTheLimit() {
        assertThat(small("\"abcdefghijklm\"")).containsExactly(value("\"abcdefghijklm\""));
        assertThat(small("\"abcdefghijklmn\"\n")).containsExactly(error(SIZE));
    }

    @Test
    void tokenBytesAddUpOverOneValue() {
        // [ (1) + "abcde" (7) + , (1) = 9 bytes queued; 9 + 7 + 1 > 16.
        assertThat(small("[\"abcde\", \"fghij\"]\n")).containsExactly(error(SIZE), error(EV));
        assertThat(small("[\"abcde\",\"fgh\"]")).containsExactly(value("[\"abcde\",\"fgh\"]"));
    }

    @Test
    void anOverlongTokenIsCutOffAndTheRestLexedAfresh() {
        // The lexer hands on '"' + 16 a's (17 bytes > 16); the 4 a's left are a keyword.
        assertThat(small("{\"id\": \"aaaaaaaaaaaaaaaaaaaa\"}\n"))
                .containsExactly(
                        error(SIZE),
                        error("JSON parse error, invalid keyword 'aaaa'"),
                        error("JSON parse error, stray '\"}\n'"));
    }

    @Test
    void anOverlongNumberIsCutOffToo() {
        assertThat(small("12345678901234567890 ")).containsExactly(error(SIZE), value("890"));
    }

    @Test
    void theTokenAfterTheLastAllowedOneExceedsTheCount() {
        assertThat(small("[1,2]")).containsExactly(value("[1,2]"));
        // [ 1 , 2 , are five tokens; 3 is the sixth; ] is then a stray closing bracket.
        assertThat(small("[1,2,3]")).containsExactly(error(COUNT), error(EV));
    }

    @Test
    void nestingCountsBracesAndBracketsTogether() {
        assertThat(fed("[[[1]]]", SHALLOW)).containsExactly(value("[[[1]]]"));
        assertThat(fed("{\"a\":[[1]]}", SHALLOW)).containsExactly(value("{\"a\":[[1]]}"));
        assertThat(fed("{\"a\":[[[1]]]}", SHALLOW))
                .containsExactly(error(NESTING), value("1"), error(EV), error(EV), error(EV), error(EV));
        assertThat(fed("[[[[1]]]]", SHALLOW))
                .containsExactly(error(NESTING), value("1"), error(EV), error(EV), error(EV), error(EV));
    }

    @Test
    void nesting1024IsAcceptedAnd1025IsRefusedWithQemusLimits() {
        // Recorded session 061: an object holding 1023 nested arrays is fine, 1024 are one too many.
        String ok = "{\"id\": " + "[".repeat(1023) + "]".repeat(1023) + "}\n";
        String over = "{\"id\": " + "[".repeat(1024) + "]".repeat(1024) + "}\n";
        List<Result> results = new StreamerHarness().feed(ok).feed(over).results;
        assertThat(results).hasSize(1 + 1 + 1025);
        assertThat(depth(results.get(0).value().get("id"))).isEqualTo(1023);
        assertThat(results.get(1)).isEqualTo(error(NESTING));
        assertThat(results.subList(2, results.size())).containsOnly(error(EV));
        assertThat(depth(new StreamerHarness()
                        .feed("[".repeat(1024) + "]".repeat(1024))
                        .results
                        .get(0)
                        .value()))
                .isEqualTo(1024);
        assertThat(new StreamerHarness().feed("[".repeat(1025)).results).containsExactly(error(NESTING));
    }

    @Test
    void deepNestingReplaysRecordedSession060() {
        String input = "{\"execute\": \"query-version\", \"id\": " + "[".repeat(2000) + "]".repeat(2000) + "}\n";
        List<Result> results = new StreamerHarness().feed(input).results;
        assertThat(results).hasSize(1 + 1 + 1025);
        assertThat(results.get(0)).isEqualTo(error(NESTING));
        assertThat(depth(results.get(1).value())).isEqualTo(2000 - 1024);
        assertThat(results.subList(2, results.size())).containsOnly(error(EV));
    }

    @Test
    void tokenCountReplaysRecordedSession064() {
        StringBuilder input = new StringBuilder("{\"execute\": \"query-version\", \"id\": [");
        input.append("1,".repeat(1_048_586)).append("1]}\n");
        List<Result> results = new StreamerHarness().feed(input.toString()).results;
        StringBuilder shape = new StringBuilder();
        for (Result r : results) {
            shape.append(r.equals(error(COUNT)) ? "C" : r.equals(error(EV)) ? "E" : r.equals(value("1")) ? "N" : "?");
        }
        assertThat(shape.toString()).isEqualTo("CE" + "NE".repeat(14) + "E");
    }

    @Test
    void aStringLongerThan64MiBReplaysRecordedSession063() {
        byte[] head = latin1("{\"execute\": \"query-version\", \"id\": \"");
        byte[] tail = latin1("\"}\n{\"execute\": \"query-version\", \"id\": \"after\"}\n");
        int as = (64 << 20) + 16;
        byte[] input = new byte[head.length + as + tail.length];
        System.arraycopy(head, 0, input, 0, head.length);
        Arrays.fill(input, head.length, head.length + as, (byte) 'a');
        System.arraycopy(tail, 0, input, head.length + as, tail.length);
        StreamerHarness harness = new StreamerHarness();
        harness.feed(input);
        assertThat(harness.results)
                .containsExactly(
                        error(SIZE),
                        error("JSON parse error, invalid keyword 'aaaaaaaaaaaaaaaa'"),
                        error("JSON parse error, stray '\"}\n'"),
                        value("{\"execute\":\"query-version\",\"id\":\"after\"}"));
        assertThat(harness.streamer.retainedCapacity()).isLessThan(1 << 20);
    }

    @Test
    void aOneMiBStringIsAValue() {
        String id = "a".repeat(1 << 20);
        List<Result> results =
                new StreamerHarness().feed("{\"execute\": \"query-version\", \"id\": \"" + id + "\"}").results;
        assertThat(results).hasSize(1);
        assertThat(results.get(0).value().get("id").textValue()).isEqualTo(id);
    }

    @Test
    void limitsTooLargeToHoldAreRefused() {
        JsonLimits huge = new JsonLimits(1L << 31, 10, 10);
        assertThatThrownBy(() -> new JsonStreamer(huge, new StreamerHarness()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTokenBytes: 2147483648 (expected: <= 1073741824)");
    }

    private static int depth(JsonNode node) {
        int depth = 0;
        while (node != null && node.isArray()) {
            depth++;
            node = node.size() == 0 ? null : node.get(0);
        }
        return depth;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
