package io.qmpd.json;

import static io.qmpd.json.StreamerHarness.error;
import static io.qmpd.json.StreamerHarness.latin1;
import static io.qmpd.json.StreamerHarness.value;
import static io.qmpd.json.StreamerHarness.whole;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.json.StreamerHarness.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The spec's examples (T24-T43) and the recorded sessions 033-066 and 094, each fed whole, one
 * byte at a time and split at every point, with the same results every time.
 */
class JsonStreamerExamplesTest {

    private static final String EV = "JSON parse error, expecting value";

    static Stream<Arguments> examples() {
        return Stream.of(
                example(
                        "T24 two requests in one write",
                        "{\"execute\":\"query-name\",\"id\":1}{\"execute\":\"query-name\",\"id\":2}",
                        value("{\"execute\":\"query-name\",\"id\":1}"),
                        value("{\"execute\":\"query-name\",\"id\":2}")),
                example("T25 split request", "{\"execute\": \"query-name\"}\n", value("{\"execute\":\"query-name\"}")),
                example("T26 whitespace only", "\n\r\n \t\n"),
                example("T27 top-level scalars", "1 2 3\n", value("1"), value("2"), value("3")),
                example("T27 number waits for the next byte", "42"),
                example("T28", "{ \"execute\": }\n", error(EV)),
                example("T29", "{]\n", error(EV)),
                example("T30", "{\u00ff", error("JSON parse error, stray '\ufffd'")),
                example("T31", "{\u0001", error("JSON parse error, stray '\u0001'")),
                example("T32", "{'bad \u00ff", error("JSON parse error, stray ''bad \ufffd'")),
                example("T33", "{'execute': 'nonexistent', 'id':'\n", error("JSON parse error, stray ''\n'")),
                example("T34", "%%p", error("JSON parse error, stray '%'")),
                example("T35 keyword", "foo\n", error("JSON parse error, invalid keyword 'foo'")),
                example("T35 upper case", "True\n", error("JSON parse error, stray 'T'")),
                example("T36", "{\"execute\": 01}", error("JSON parse error, stray '01'"), error(EV)),
                example(
                        "T37",
                        "{\"execute\": \"query-name\", \"execute\": \"query-name\"}\n",
                        error("JSON parse error, duplicate key")),
                example(
                        "T38",
                        "{\"execute\": \"query-name\", \"id\": \"\\q\"}\n",
                        error("JSON parse error, invalid escape sequence in string")),
                example(
                        "T39",
                        "{\"execute\": \"query-name\", \"id\": \"\\uD800\"}\n",
                        error("JSON parse error, \\uD800 is not a valid Unicode character")),
                example(
                        "T43 known-good reset",
                        "{\"execute\": \"query-\u0001{\"execute\": \"no-such-cmd\"}\n",
                        error("JSON parse error, stray '\"query-\u0001'"),
                        value("{\"execute\":\"no-such-cmd\"}")),
                example(
                        "T43 reset between tokens",
                        "{\"execute\": \u0001{\"execute\": \"x\"}",
                        error("JSON parse error, stray '\u0001'"),
                        value("{\"execute\":\"x\"}")),
                example(
                        "035 duplicate id",
                        "{\"execute\": \"query-version\", \"id\": 1, \"id\": 2}\n",
                        error("JSON parse error, duplicate key")),
                example(
                        "036 non-objects",
                        "[]\n[\"execute\", \"query-version\"]\n1\n\"query-version\"\ntrue\nnull\n3.14\n",
                        value("[]"),
                        value("[\"execute\",\"query-version\"]"),
                        value("1"),
                        value("\"query-version\""),
                        value("true"),
                        value("null"),
                        value("3.14")),
                example(
                        "037 unterminated string",
                        "{\"execute\": \"query-version\n{\"execute\": \"query-version\"}\n",
                        error("JSON parse error, stray '\"query-version\n'"),
                        value("{\"execute\":\"query-version\"}")),
                example("039 stray rcurly", "}\n", error(EV)),
                example("040 stray rbracket", "]\n", error(EV)),
                example(
                        "043 single quotes",
                        "{'execute': 'query-version', 'id': 'sq'}\n",
                        value("{\"execute\":\"query-version\",\"id\":\"sq\"}")),
                example("045 trailing comma", "{\"execute\": \"query-version\",}\n", error(EV)),
                example(
                        "046 missing colon",
                        "{\"execute\" \"query-version\"}\n",
                        error("JSON parse error, missing : in object pair")),
                example(
                        "049 interpolation",
                        "{\"execute\": \"query-version\", \"id\": %d}\n",
                        error("JSON parse error, stray '%'"),
                        error(EV)),
                example(
                        "050 raw 0xFF in a string",
                        "{\"execute\": \"query-version\", \"id\": \"\u00ff\"}\n",
                        error("JSON parse error, stray '\"\ufffd'"),
                        error(EV)),
                example(
                        "050 truncated sequence",
                        "{\"execute\": \"query-version\", \"id\": \"\u00c3(\"}\n",
                        error("JSON parse error, invalid UTF-8 sequence in string")),
                example(
                        "050 C0 80",
                        "{\"execute\": \"query-version\", \"id\": \"\u00c0\u0080\"}\n",
                        value("{\"execute\":\"query-version\",\"id\":\"\\u0000\"}")),
                example(
                        "051 tab in string",
                        "{\"execute\": \"query-version\", \"id\": \"a\tb\"}\n",
                        error("JSON parse error, stray '\"a\t'"),
                        error(EV)),
                example(
                        "054 blank lines",
                        "\n   \r\n\t\n{\"execute\": \"query-version\"}   \n\r\n\r\n {\"execute\": \"q\"}\n",
                        value("{\"execute\":\"query-version\"}"),
                        value("{\"execute\":\"q\"}")),
                example(
                        "055 no newline needed",
                        "{\"execute\": \"query-version\"}",
                        value("{\"execute\":\"query-version\"}")),
                example(
                        "058 error inside object",
                        "{\"execute\": \"query-version\", \"id\": @}\n{\"id\": \"after\"}\n",
                        error("JSON parse error, stray '@'"),
                        error(EV),
                        value("{\"id\":\"after\"}")),
                example(
                        "065 several in one write",
                        "{\"execute\": \"query-version\", \"id\": 1}\n{\"execute\": \"query-name\", \"id\": 2}\n",
                        value("{\"execute\":\"query-version\",\"id\":1}"),
                        value("{\"execute\":\"query-name\",\"id\":2}")),
                example(
                        "094 0xFF resets",
                        "{\"execute\": \"query-version\", \"id\": 1\n\u00ff{\"execute\": \"query-version\", \"id\": 2}\n",
                        error("JSON parse error, stray '\ufffd'"),
                        value("{\"execute\":\"query-version\",\"id\":2}")),
                example("lookahead: number then closing bracket", "1}", value("1"), error(EV)),
                example("lookahead: keyword then string", "null\"x\"", value("null"), value("\"x\"")),
                example(
                        "nested value",
                        "{\"a\": [1, 2.5, -3, true, false, null, {\"b\": {}}, []], \"c\": 'd'}",
                        value("{\"a\":[1,2.5,-3,true,false,null,{\"b\":{}},[]],\"c\":\"d\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void wholeInputGivesTheExpectedResults(String name, String input, List<Result> expected) {
        assertThat(whole(latin1(input))).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void byteByByteGivesTheSameResults(String name, String input, List<Result> expected) {
        assertThat(StreamerHarness.byteByByte(latin1(input), JsonLimits.QEMU)).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everySplitPointGivesTheSameResults(String name, String input, List<Result> expected) {
        byte[] bytes = latin1(input);
        for (int at = 0; at <= bytes.length; at++) {
            assertThat(StreamerHarness.splitAt(bytes, at, JsonLimits.QEMU))
                    .as("split at %d", at)
                    .containsExactlyElementsOf(expected);
        }
    }

    private static Arguments example(String name, String input, Result... expected) {
        return Arguments.of(name, input, new ArrayList<>(List.of(expected)));
    }
}
