package io.qmpd.client.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ShellCommandParserTest {

    private final ShellCommandParser parser = new ShellCommandParser(new ObjectMapper());

    private String parse(String line) throws ShellInputException {
        var command = parser.parse(line);
        return command == null ? null : command.toString();
    }

    @Test
    void aBareCommandGetsEmptyArguments() throws Exception {
        assertThat(parse("query-status")).isEqualTo("{\"execute\":\"query-status\",\"arguments\":{}}");
        assertThat(parse("   ")).isNull();
    }

    @Test
    void valuesAreIntegersBooleansJsonOrStrings() throws Exception {
        assertThat(
                        parse(
                                "x n=-12 big=123456789012345678901 t=TRUE f=false s=hello j=[1,{\"a\":null}] o={\"k\":\"v\"} bad={oops f2=1.5"))
                .isEqualTo(
                        "{\"execute\":\"x\",\"arguments\":{\"n\":-12,\"big\":123456789012345678901,\"t\":true,\"f\":false,"
                                + "\"s\":\"hello\",\"j\":[1,{\"a\":null}],\"o\":{\"k\":\"v\"},\"bad\":\"{oops\",\"f2\":\"1.5\"}}");
    }

    @Test
    void quotedPartsKeepTheirSpacesAndQuotes() throws Exception {
        assertThat(parse("x j={\"a b\":1} s=\"two words\""))
                .isEqualTo("{\"execute\":\"x\",\"arguments\":{\"j\":{\"a b\":1},\"s\":\"\\\"two words\\\"\"}}");
    }

    @Test
    void dottedKeysBuildNestedObjects() throws Exception {
        assertThat(parse("blockdev-add driver=file node-name=f0 file.filename=/tmp/x file.aio.mode=native"))
                .isEqualTo("{\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"file\",\"node-name\":\"f0\","
                        + "\"file\":{\"filename\":\"/tmp/x\",\"aio\":{\"mode\":\"native\"}}}}");
    }

    @Test
    void badArgumentsGetQmpShellsTexts() {
        assertThatThrownBy(() -> parse("x foo")).hasMessage("Expected a key=value pair, got 'foo'");
        assertThatThrownBy(() -> parse("{\"execute\": \"query-status\""))
                .hasMessage("Invalid JSON: the line ends inside a JSON value (column 27)");
        assertThatThrownBy(() -> parse("{\"execute\": x}"))
                .hasMessageStartingWith("Invalid JSON: Unrecognized token 'x'")
                .hasMessageNotContaining("Source");
        assertThatThrownBy(() -> parse("x a=1 a=2")).hasMessage("Cannot set \"a\" multiple times");
        assertThatThrownBy(() -> parse("x a=1 a.b=2")).hasMessage("Cannot use \"a\" as both leaf and non-leaf key");
        assertThatThrownBy(() -> parse("x a.b=1 a=2")).hasMessage("Cannot use \"\" as both leaf and non-leaf key");
    }

    @Test
    void aJsonLineIsSentAsItIs() throws Exception {
        assertThat(parse(" {\"execute\": \"query-name\", \"id\": 7}"))
                .isEqualTo("{\"execute\":\"query-name\",\"id\":7}");
        assertThatThrownBy(() -> parse("{\"execute\":")).isInstanceOf(ShellInputException.class);
    }

    @Test
    void aTransactionCollectsActionsUntilTheClosingParenthesis() throws Exception {
        assertThat(parse("transaction(")).isNull();
        assertThat(parser.inTransaction()).isTrue();
        assertThat(parse("block-dirty-bitmap-add node=n0 name=b0")).isNull();
        assertThat(parse("block-dirty-bitmap-clear node=n0 name=b1 )"))
                .isEqualTo("{\"execute\":\"transaction\",\"arguments\":{\"actions\":["
                        + "{\"type\":\"block-dirty-bitmap-add\",\"data\":{\"node\":\"n0\",\"name\":\"b0\"}},"
                        + "{\"type\":\"block-dirty-bitmap-clear\",\"data\":{\"node\":\"n0\",\"name\":\"b1\"}}]}}");
        assertThat(parser.inTransaction()).isFalse();
    }
}
