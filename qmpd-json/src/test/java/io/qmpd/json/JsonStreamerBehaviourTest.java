package io.qmpd.json;

import static io.qmpd.json.StreamerHarness.error;
import static io.qmpd.json.StreamerHarness.latin1;
import static io.qmpd.json.StreamerHarness.value;
import static io.qmpd.json.StreamerHarness.whole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import io.qmpd.json.StreamerHarness.Result;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Recovery rules, number types, member order and the feed/reset contract. */
class JsonStreamerBehaviourTest {

    private static final String EV = "JSON parse error, expecting value";
    private static final Result AT = error("JSON parse error, stray '@'");

    @ParameterizedTest(name = "recovery ends at {0}")
    @ValueSource(strings = {"[", "]", "{", "}", ":", ","})
    void recoveryEndsAtAStructuralCharacterWhichIsLexedAgain(String structural) {
        List<Result> results = whole("@x'\"9" + structural + "]\n");
        List<Result> expected = new ArrayList<>(List.of(AT));
        if (structural.equals("[")) {
            expected.add(value("[]"));
        } else if (structural.equals("{")) {
            expected.add(error(EV)); // {] is parsed at once: the bracket count went negative
        } else {
            expected.add(error(EV));
            expected.add(error(EV));
        }
        assertThat(results).containsExactlyElementsOf(expected);
    }

    @Test
    void recoveryEndsAtLineFeedAndCarriageReturnWhichAreWhitespace() {
        assertThat(whole("@ 1 2\n3 ")).containsExactly(AT, value("3"));
        assertThat(whole("@ 1 2\r3 ")).containsExactly(AT, value("3"));
    }

    @Test
    void recoveryDoesNotEndAtHorizontalTab() {
        assertThat(whole("@\t3 4\n")).containsExactly(AT);
    }

    @Test
    void recoverySkipsEverythingFrom0x20To0xFdExceptStructuralCharacters() {
        StringBuilder skipped = new StringBuilder();
        for (char c = 0x20; c <= 0xFD; c++) {
            if ("[]{}:,".indexOf(c) < 0) {
                skipped.append(c);
            }
        }
        assertThat(whole("@" + skipped + "\n5 ")).containsExactly(AT, value("5"));
    }

    @ParameterizedTest(name = "control byte {0}")
    @ValueSource(ints = {0x00, 0x01, 0x08, 0x0B, 0x0C, 0x0E, 0x1F, 0xFE, 0xFF})
    void recoveryEndsAtOtherControlCharactersAnd0xFeAnd0xFfWhichAreErrorsThemselves(int control) {
        String c = String.valueOf((char) control);
        String shown = control == 0 ? "" : control >= 0xFE ? "\ufffd" : c;
        assertThat(whole("@x" + c + "[]"))
                .containsExactly(AT, error("JSON parse error, stray '" + shown + "'"), value("[]"));
    }

    @Test
    void aLexicalErrorDropsTheHalfReadValue() {
        assertThat(whole("{\"a\": [1, 2, @], \"b\": 3}\n"))
                .containsExactly(AT, error(EV), error(EV), value("\"b\""), error(EV), value("3"), error(EV));
    }

    @Test
    void aSyntaxErrorInsideAnObjectIsReportedOnlyWhenTheBracesBalance() {
        StreamerHarness harness = new StreamerHarness().feed("{'execute':foo\n");
        assertThat(harness.results).isEmpty();
        harness.feed("}");
        assertThat(harness.results).containsExactly(error("JSON parse error, invalid keyword 'foo'"));
    }

    @Test
    void integersBecomeInt64ThenUint64ThenDouble() {
        assertThat(single("7")).isEqualTo(IntNode.valueOf(7));
        assertThat(single("-0")).isEqualTo(IntNode.valueOf(0));
        assertThat(single("2147483648")).isEqualTo(LongNode.valueOf(2147483648L));
        assertThat(single("9223372036854775807")).isEqualTo(LongNode.valueOf(Long.MAX_VALUE));
        assertThat(single("-9223372036854775808")).isEqualTo(LongNode.valueOf(Long.MIN_VALUE));
        assertThat(single("9223372036854775808")).isEqualTo(BigIntegerNode.valueOf(BigInteger.ONE.shiftLeft(63)));
        assertThat(single("18446744073709551615"))
                .isEqualTo(BigIntegerNode.valueOf(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)));
        assertThat(single("18446744073709551616")).isEqualTo(DoubleNode.valueOf(18446744073709551616.0));
        assertThat(single("-9223372036854775809")).isEqualTo(DoubleNode.valueOf(-9223372036854775809.0));
    }

    @Test
    void floatsAreDoubles() {
        assertThat(single("1e2")).isEqualTo(DoubleNode.valueOf(100.0));
        assertThat(single("0.1")).isEqualTo(DoubleNode.valueOf(0.1));
        assertThat(single("-0.0")).isEqualTo(DoubleNode.valueOf(-0.0));
        assertThat(single("1.5E+3")).isEqualTo(DoubleNode.valueOf(1500.0));
        assertThat(single("2e-3")).isEqualTo(DoubleNode.valueOf(0.002));
        assertThat(single("1e400")).isEqualTo(DoubleNode.valueOf(Double.POSITIVE_INFINITY));
    }

    @Test
    void zeroEndsBeforeAnExponentAsInQemu() {
        assertThat(whole("0e5 "))
                .containsExactly(value("0"), error("JSON parse error, invalid keyword 'e'"), value("5"));
    }

    @Test
    void membersKeepTheirSourceOrder() {
        JsonNode object = single("{\"z\": 1, \"a\": 2, \"m\": 3}");
        assertThat(object.fieldNames()).toIterable().containsExactly("z", "a", "m");
    }

    @Test
    void feedStopsRightAfterTheByteThatProducedAResult() {
        StreamerHarness harness = new StreamerHarness();
        ByteBuffer buffer = ByteBuffer.wrap(latin1("{\"execute\":\"a\"}{\"execute\":\"b\"}12 "));
        assertThat(harness.streamer.feed(buffer)).isTrue();
        assertThat(buffer.position()).isEqualTo(15);
        assertThat(harness.results).hasSize(1);
        assertThat(harness.streamer.feed(buffer)).isTrue();
        assertThat(buffer.position()).isEqualTo(30);
        assertThat(harness.streamer.feed(buffer)).isTrue();
        assertThat(buffer.position()).isEqualTo(33);
        assertThat(harness.results)
                .extracting(Result::toString)
                .containsExactly("value {\"execute\":\"a\"}", "value {\"execute\":\"b\"}", "value 12");
        assertThat(harness.streamer.feed(buffer)).isFalse();
    }

    @Test
    void oneByteDeliversEverythingItProducedBeforeFeedReturns() {
        StreamerHarness harness = new StreamerHarness();
        ByteBuffer buffer = ByteBuffer.wrap(latin1("1}x"));
        assertThat(harness.streamer.feed(buffer)).isTrue();
        assertThat(buffer.position()).isEqualTo(2);
        assertThat(harness.results).containsExactly(value("1"), error(EV));
    }

    @Test
    void directAndReadOnlyBuffersWorkToo() {
        byte[] bytes = latin1("{\"a\": 1} 2 ");
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        StreamerHarness harness = new StreamerHarness();
        while (direct.hasRemaining()) {
            harness.streamer.feed(direct);
        }
        StreamerHarness other = new StreamerHarness();
        ByteBuffer readOnly = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        while (readOnly.hasRemaining()) {
            other.streamer.feed(readOnly);
        }
        assertThat(harness.results).containsExactly(value("{\"a\":1}"), value("2"));
        assertThat(other.results).isEqualTo(harness.results);
    }

    @Test
    void resetForgetsPartialInput() {
        StreamerHarness harness = new StreamerHarness().feed("{\"execute\": [1, \"abc");
        harness.streamer.reset();
        harness.feed("{\"execute\": \"x\"}");
        assertThat(harness.results).containsExactly(value("{\"execute\":\"x\"}"));
        assertThat(harness.streamer.pendingBytes()).isZero();
        assertThat(harness.streamer.queuedTokens()).isZero();
    }

    @Test
    void theListenerMayNotFeedOrResetTheStreamer() {
        List<JsonStreamer> self = new ArrayList<>();
        JsonStreamer streamer = new JsonStreamer(new JsonStreamer.Listener() {
            @Override
            public void onValue(JsonNode value) {
                self.get(0).reset();
            }

            @Override
            public void onError(String desc) {
                self.get(0).feed(ByteBuffer.allocate(1));
            }
        });
        self.add(streamer);
        assertThatThrownBy(() -> streamer.feed(ByteBuffer.wrap(latin1("[]"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("state: delivering a result (reset() called from the listener)");
        assertThatThrownBy(() -> streamer.feed(ByteBuffer.wrap(latin1("@"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("state: delivering a result (feed() called from the listener)");
    }

    private static JsonNode single(String input) {
        List<Result> results = whole(input + " ");
        assertThat(results).hasSize(1);
        assertThat(results.get(0).value()).isNotNull();
        return results.get(0).value();
    }
}
