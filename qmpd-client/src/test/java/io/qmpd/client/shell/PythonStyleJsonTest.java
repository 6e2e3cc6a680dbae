package io.qmpd.client.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PythonStyleJsonTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void compactOutputUsesPythonsSeparatorsAndWireOrder() throws Exception {
        var value = mapper.readTree(
                "{\"return\":{\"status\":\"prelaunch\",\"singlestep\":false,\"list\":[1,2],\"e\":{},\"a\":[]}}");
        assertThat(PythonStyleJson.dumps(value, false))
                .isEqualTo(
                        "{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, \"list\": [1, 2], \"e\": {}, \"a\": []}}");
    }

    @Test
    void prettyOutputIndentsByFourAndSortsKeys() throws Exception {
        var value = mapper.readTree("{\"return\":{\"z\":1,\"a\":[true,null]}}");
        assertThat(PythonStyleJson.dumps(value, true)).isEqualTo("""
                {
                    "return": {
                        "a": [
                            true,
                            null
                        ],
                        "z": 1
                    }
                }""");
    }

    @Test
    void stringsAreEscapedToAscii() throws Exception {
        var value = mapper.readTree("\"a\\\"b\\\\c\\n\\u0001\\u007f é 😀\"");
        assertThat(PythonStyleJson.dumps(value, false))
                .isEqualTo("\"a\\\"b\\\\c\\n\\u0001\\u007f \\u00e9 \\ud83d\\ude00\"");
    }
}
