package io.qmpd.json;

import static io.qmpd.json.StreamerHarness.latin1;
import static io.qmpd.json.StreamerHarness.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.json.StreamerHarness.Result;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the streamer over arbitrary input. */
class JsonStreamerPropertiesTest {

    private static final JsonLimits SMALL = new JsonLimits(40, 12, 4);

    /** Random bytes biased toward JSON's own characters, so that all lexer states are reached. */
    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<Byte> jsonish = jsonish();
        Arbitrary<Byte> any = Arbitraries.bytes();
        Arbitrary<Byte> mixed =
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, jsonish), net.jqwik.api.Tuple.of(1, any));
        return mixed.list().ofMaxSize(200).map(JsonStreamerPropertiesTest::toArray);
    }

    private static Arbitrary<Byte> jsonish() {
        byte[] chars = latin1("{}[]:,\"'\\ \t\r\n-+.eE0123456789abcdefnlrstuT%@");
        List<Byte> list = new ArrayList<>();
        for (byte b : chars) {
            list.add(b);
        }
        return Arbitraries.of(list);
    }

    @Property(tries = 300)
    void arbitraryBytesNeverThrowAndEachByteGivesAtMostTwoResults(@ForAll("garbage") byte[] input) {
        StreamerHarness harness = new StreamerHarness(SMALL);
        ByteBuffer buffer = ByteBuffer.wrap(input);
        int calls = 0;
        while (buffer.hasRemaining()) {
            int before = harness.results.size();
            int position = buffer.position();
            harness.streamer.feed(buffer);
            calls++;
            assertThat(buffer.position()).isGreaterThan(position);
            assertThat(harness.results.size() - before).isLessThanOrEqualTo(2);
        }
        assertThat(calls).isLessThanOrEqualTo(Math.max(1, input.length));
        assertThat(harness.results.size()).isLessThanOrEqualTo(input.length);
    }

    @Property(tries = 300)
    void randomChunkingGivesTheSameResultsAsWholeInput(
            @ForAll("garbage") byte[] input,
            @ForAll @IntRange(min = 1, max = 16) int chunk,
            @ForAll @IntRange(min = 0, max = 200) int firstCut) {
        List<Result> wholeInput = new StreamerHarness(SMALL).feed(input).results;
        StreamerHarness chunked = new StreamerHarness(SMALL);
        int cut = Math.min(firstCut, input.length);
        chunked.feed(input, 0, cut);
        for (int at = cut; at < input.length; at += chunk) {
            chunked.feed(input, at, Math.min(input.length, at + chunk));
        }
        assertThat(chunked.results).isEqualTo(wholeInput);
        assertThat(StreamerHarness.byteByByte(input, SMALL)).isEqualTo(wholeInput);
    }

    /**
     * The known-good reset of qmp-spec: whatever came before, one control character other than
     * HT, CR and LF (or 0xFE/0xFF) is reported as a stray token, drops the half-read value and
     * ends error recovery, so the next request is read normally.
     */
    @Property(tries = 500)
    void aControlCharacterResetsTheStreamerAfterAnyGarbage(
            @ForAll("garbage") byte[] garbage, @ForAll("resetBytes") byte reset) {
        byte[] request = latin1("{\"execute\": \"x\"}");
        byte[] input = JsonStreamerErrorTextTest.concat(garbage, new byte[] {reset}, request);
        List<Result> results = new StreamerHarness(JsonLimits.QEMU).feed(input).results;
        assertThat(results.size()).isGreaterThanOrEqualTo(2);
        assertThat(results.get(results.size() - 1)).isEqualTo(value("{\"execute\": \"x\"}"));
        assertThat(results.get(results.size() - 2).error())
                .startsWith("JSON parse error, stray '")
                .endsWith("'");
    }

    @Provide
    Arbitrary<Byte> resetBytes() {
        return Arbitraries.of(
                (byte) 0x00,
                (byte) 0x01,
                (byte) 0x08,
                (byte) 0x0B,
                (byte) 0x0C,
                (byte) 0x0E,
                (byte) 0x1B,
                (byte) 0x1F,
                (byte) 0xFE,
                (byte) 0xFF);
    }

    /** Without the reset, a newline alone is no such guarantee: an open brace swallows the request. */
    @Property(tries = 1)
    void aNewlineAloneDoesNotResetAnOpenValue() {
        List<Result> results = new StreamerHarness().feed("{\"a\": \n{\"execute\": \"x\"}\n").results;
        assertThat(results).isEmpty();
    }

    @Property(tries = 200)
    void heldBytesNeverExceedTheLimits(@ForAll("longTokens") byte[] input) {
        StreamerHarness harness = new StreamerHarness(SMALL);
        for (int i = 0; i < input.length; i++) {
            harness.feed(input, i, i + 1);
            assertThat(harness.streamer.pendingBytes()).isLessThanOrEqualTo(2 * SMALL.maxTokenBytes());
            assertThat(harness.streamer.queuedTokens()).isLessThanOrEqualTo(SMALL.maxTokens());
            assertThat(harness.streamer.retainedCapacity()).isLessThan(4096);
        }
    }

    @Provide
    Arbitrary<byte[]> longTokens() {
        Arbitrary<byte[]> piece = Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab\\ \u00e9").ofMaxLength(120).map(s -> latin1("\"" + s + "\"")),
                Arbitraries.strings().numeric().ofMaxLength(120).map(s -> latin1("1" + s + " ")),
                Arbitraries.strings().withChars("abcxyz").ofMaxLength(120).map(StreamerHarness::latin1),
                jsonish().list().ofMaxSize(30).map(JsonStreamerPropertiesTest::toArray));
        return piece.list().ofMaxSize(20).map(pieces -> {
            int length = pieces.stream().mapToInt(p -> p.length).sum();
            byte[] out = new byte[length];
            int at = 0;
            for (byte[] p : pieces) {
                System.arraycopy(p, 0, out, at, p.length);
                at += p.length;
            }
            return out;
        });
    }

    private static byte[] toArray(List<Byte> bytes) {
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }
}
