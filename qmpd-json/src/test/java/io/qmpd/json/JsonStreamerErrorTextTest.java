package io.qmpd.json;

import static io.qmpd.json.StreamerHarness.latin1;
import static io.qmpd.json.StreamerHarness.whole;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.json.StreamerHarness.Result;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every error text of the classic parser and lexer, with the exact input that produces it. */
class JsonStreamerErrorTextTest {

    private static void assertErrors(String input, String... descs) {
        List<Result> results = whole(latin1(input));
        assertThat(results).extracting(Result::error).containsExactly(descs);
        assertThat(results).extracting(Result::value).containsOnlyNulls();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource
    void parserErrorTexts(String input, String desc) {
        List<Result> results = whole(latin1(input));
        assertThat(results).first().isEqualTo(Result.error(desc));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rawBytesThatAreNotModifiedUtf8AreRejected(String hex) {
        byte[] body = HexFormatting.parse(hex);
        byte[] input = concat(latin1("{\"id\": \""), body, latin1("\"}\n"));
        assertThat(whole(input)).containsExactly(Result.error("JSON parse error, invalid UTF-8 sequence in string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void validModifiedUtf8IsDecoded(String hex, String expected) {
        byte[] input = concat(latin1("\""), HexFormatting.parse(hex), latin1("\""));
        List<Result> results = whole(input);
        assertThat(results).hasSize(1);
        assertThat(results.get(0).value().textValue()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void escapesAreDecoded(String escaped, String expected) {
        List<Result> results = whole(latin1("'" + escaped + "'"));
        assertThat(results).hasSize(1);
        assertThat(results.get(0).value().textValue()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void lexicalErrorTexts(String input, String desc) {
        assertErrors(input, desc);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void strayTextIsDecodedAsQemusWriterDoes(String hex, String desc) {
        assertErrors(new String(HexFormatting.parse(hex), StandardCharsets.ISO_8859_1), desc);
    }

    static Stream<Arguments> parserErrorTexts() {
        return Stream.of(
                Arguments.of("{ \"execute\": }\n", "JSON parse error, expecting value"),
                Arguments.of("{]\n", "JSON parse error, expecting value"),
                Arguments.of("}\n", "JSON parse error, expecting value"),
                Arguments.of("]\n", "JSON parse error, expecting value"),
                Arguments.of("{\"execute\": \"query-version\",}\n", "JSON parse error, expecting value"),
                Arguments.of("[1,]\n", "JSON parse error, expecting value"),
                Arguments.of("[,1]\n", "JSON parse error, expecting value"),
                Arguments.of("{\"execute\" \"query-version\"}\n", "JSON parse error, missing : in object pair"),
                Arguments.of("{\"a\"}\n", "JSON parse error, missing : in object pair"),
                Arguments.of("{1: 2}\n", "JSON parse error, key is not a string in object"),
                Arguments.of("{{}: 2}\n", "JSON parse error, key is not a string in object"),
                Arguments.of("{null: 2}\n", "JSON parse error, key is not a string in object"),
                Arguments.of("{\"a\": 1 \"b\": 2}\n", "JSON parse error, expected separator in dict"),
                Arguments.of("{\"a\": 1]\n", "JSON parse error, expected separator in dict"),
                Arguments.of("[1 2]\n", "JSON parse error, expected separator in list"),
                Arguments.of("[1}\n", "JSON parse error, expected separator in list"),
                Arguments.of("foo\n", "JSON parse error, invalid keyword 'foo'"),
                Arguments.of("[nul]\n", "JSON parse error, invalid keyword 'nul'"),
                Arguments.of(
                        "{\"execute\": \"query-version\", \"execute\": \"query-name\"}\n",
                        "JSON parse error, duplicate key"),
                Arguments.of(
                        "{\"execute\": \"query-version\", \"id\": 1, \"id\": 2}\n", "JSON parse error, duplicate key"),
                Arguments.of("{\"a\": 1, \"a\": foo}\n", "JSON parse error, invalid keyword 'foo'"),
                Arguments.of("{\"id\": \"\\q\"}\n", "JSON parse error, invalid escape sequence in string"),
                Arguments.of("{\"id\": \"\\x41\"}\n", "JSON parse error, invalid escape sequence in string"),
                Arguments.of("{\"id\": \"\\U0041\"}\n", "JSON parse error, invalid escape sequence in string"),
                Arguments.of("{\"id\": \"\\uD800\"}\n", "JSON parse error, \\uD800 is not a valid Unicode character"),
                Arguments.of("{\"id\": \"\\uD800x\"}\n", "JSON parse error, \\uD800 is not a valid Unicode character"),
                Arguments.of(
                        "{\"id\": \"\\uD800\\u0041\"}\n", "JSON parse error, \\uD800 is not a valid Unicode character"),
                Arguments.of("{\"id\": \"\\udc00\"}\n", "JSON parse error, \\udc00 is not a valid Unicode character"),
                Arguments.of("{\"id\": \"\\uFFFE\"}\n", "JSON parse error, \\uFFFE is not a valid Unicode character"),
                Arguments.of("{\"id\": \"\\uFDD0\"}\n", "JSON parse error, \\uFDD0 is not a valid Unicode character"),
                Arguments.of(
                        "{\"id\": \"\\uD83F\\uDFFF\"}\n",
                        "JSON parse error, \\uD83F\\uDFFF is not a valid Unicode character"),
                Arguments.of("{\"id\": \"\\u12G4\"}\n", "JSON parse error, \\u12G4 is not a valid Unicode character"),
                Arguments.of("{\"id\": \"\\u12\"}\n", "JSON parse error, \\u12\" is not a valid Unicode character"),
                Arguments.of("{\"id\": '\\u1'}\n", "JSON parse error, \\u1' is not a valid Unicode character"),
                Arguments.of("'\\q' \"\\q\"\n", "JSON parse error, invalid escape sequence in string"));
    }

    static Stream<Arguments> rawBytesThatAreNotModifiedUtf8AreRejected() {
        return Stream.of(
                Arguments.of("c3 28"),
                Arguments.of("c3"),
                Arguments.of("80"),
                Arguments.of("fd"),
                Arguments.of("c1 bf"),
                Arguments.of("e0 80 80"),
                Arguments.of("f0 80 80 80"),
                Arguments.of("ed a0 80"),
                Arguments.of("ef bf be"),
                Arguments.of("ef b7 90"),
                Arguments.of("f4 90 80 80"),
                Arguments.of("f8 88 80 80 80"),
                Arguments.of("fc 84 80 80 80 80"));
    }

    static Stream<Arguments> validModifiedUtf8IsDecoded() {
        return Stream.of(
                Arguments.of("c0 80", "\u0000"),
                Arguments.of("c3 a9", "\u00e9"),
                Arguments.of("e2 82 ac", "\u20ac"),
                Arguments.of("f0 9f 98 80", "\ud83d\ude00"),
                Arguments.of("f4 8f bf bd", "\udbff\udffd"),
                Arguments.of("7f", "\u007f"));
    }

    static Stream<Arguments> escapesAreDecoded() {
        return Stream.of(
                Arguments.of("\\u0000", "\u0000"),
                Arguments.of("\\u00e9", "\u00e9"),
                Arguments.of("\\u00E9", "\u00e9"),
                Arguments.of("\\uD83D\\uDE00", "\ud83d\ude00"),
                Arguments.of("\\\"\\'\\\\\\/\\b\\f\\n\\r\\t", "\"'\\/\b\f\n\r\t"),
                Arguments.of("a\\u0041b", "aAb"));
    }

    static Stream<Arguments> lexicalErrorTexts() {
        return Stream.of(
                Arguments.of("@", "JSON parse error, stray '@'"),
                Arguments.of("True\n", "JSON parse error, stray 'T'"),
                Arguments.of("%%p", "JSON parse error, stray '%'"),
                Arguments.of("#x\n", "JSON parse error, stray '#'"),
                Arguments.of("/\n", "JSON parse error, stray '/'"),
                Arguments.of("-a\n", "JSON parse error, stray '-a'"),
                Arguments.of("--\n", "JSON parse error, stray '--'"),
                Arguments.of("-01\n", "JSON parse error, stray '-01'"),
                Arguments.of("1.x\n", "JSON parse error, stray '1.x'"),
                Arguments.of("1.\n", "JSON parse error, stray '1.\n'"),
                Arguments.of("1e}\n", "JSON parse error, stray '1e}'"),
                Arguments.of("1.5e+ \n", "JSON parse error, stray '1.5e+ '"),
                Arguments.of("1E-x\n", "JSON parse error, stray '1E-x'"),
                Arguments.of("\"a\tb\"\n", "JSON parse error, stray '\"a\t'"),
                Arguments.of("'\n", "JSON parse error, stray ''\n'"),
                Arguments.of("\"ab\\\n", "JSON parse error, stray '\"ab\\\n'"));
    }

    static Stream<Arguments> strayTextIsDecodedAsQemusWriterDoes() {
        return Stream.of(
                Arguments.of("7b ff", "JSON parse error, stray '\ufffd'"),
                Arguments.of("7b 01", "JSON parse error, stray '\u0001'"),
                Arguments.of("7b 27 62 61 64 20 ff", "JSON parse error, stray ''bad \ufffd'"),
                Arguments.of("fe", "JSON parse error, stray '\ufffd'"),
                Arguments.of("7f", "JSON parse error, stray '\u007f'"),
                Arguments.of("c3 a9", "JSON parse error, stray '\ufffd'"),
                Arguments.of("22 c3 a9 01", "JSON parse error, stray '\"\u00e9\u0001'"),
                Arguments.of("22 e9 41 01", "JSON parse error, stray '\"\ufffdA\u0001'"),
                Arguments.of("22 ed a0 80 01", "JSON parse error, stray '\"\ufffd\u0001'"),
                Arguments.of("22 f8 88 80 80 80 01", "JSON parse error, stray '\"\ufffd\u0001'"),
                Arguments.of("22 c0 80 01", "JSON parse error, stray '\"\u0000\u0001'"),
                Arguments.of("22 80 80 ff", "JSON parse error, stray '\"\ufffd\ufffd\ufffd'"),
                Arguments.of("22 61 62 00", "JSON parse error, stray '\"ab'"),
                Arguments.of("00", "JSON parse error, stray ''"));
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
