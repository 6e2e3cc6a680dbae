package io.qmpd.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Parser paths the streamer never reaches, because it only parses balanced or broken token runs. */
class JsonParserTest {

    private static JsonTokenQueue queue(Object... typeAndText) {
        JsonTokenQueue queue = new JsonTokenQueue(1000, bytes -> true);
        for (int i = 0; i < typeAndText.length; i += 2) {
            byte[] text = ((String) typeAndText[i + 1]).getBytes(StandardCharsets.ISO_8859_1);
            queue.add((JsonTokenType) typeAndText[i], text, text.length);
        }
        return queue;
    }

    @Test
    void runningOutOfTokensIsPrematureEoi() {
        JsonParser parser = new JsonParser();
        assertThat(parser.parse(queue(JsonTokenType.LSQUARE, "[", JsonTokenType.INTEGER, "1")))
                .isNull();
        assertThat(parser.error()).isEqualTo("JSON parse error, premature EOI");
        assertThat(parser.parse(queue(JsonTokenType.LCURLY, "{"))).isNull();
        assertThat(parser.error()).isEqualTo("JSON parse error, premature EOI");
        assertThat(parser.parse(queue(JsonTokenType.LCURLY, "{", JsonTokenType.STRING, "'a'")))
                .isNull();
        assertThat(parser.error()).isEqualTo("JSON parse error, premature EOI");
        assertThat(parser.parse(queue())).isNull();
        assertThat(parser.error()).isEqualTo("JSON parse error, premature EOI");
    }

    @Test
    void theFirstErrorWinsSoAMissingValueReportsWhyItIsMissing() {
        JsonParser parser = new JsonParser();
        assertThat(parser.parse(queue(
                        JsonTokenType.LCURLY,
                        "{",
                        JsonTokenType.STRING,
                        "\"a\"",
                        JsonTokenType.COLON,
                        ":",
                        JsonTokenType.KEYWORD,
                        "nope",
                        JsonTokenType.RCURLY,
                        "}")))
                .isNull();
        assertThat(parser.error()).isEqualTo("JSON parse error, invalid keyword 'nope'");
    }

    @Test
    void anOversizedTokenIsNotAValue() {
        JsonParser parser = new JsonParser();
        assertThat(parser.parse(queue(JsonTokenType.OVERSIZED, "\"aaaa"))).isNull();
        assertThat(parser.error()).isEqualTo("JSON parse error, expecting value");
    }
}
