package io.qmpd.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrintedValueTest {

    private static ArrayNode schemaLike() {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 3; i++) {
            list.addObject().put("name", "cmd-" + i).put("meta-type", "command").put("arg-type", Integer.toString(i));
        }
        list.addObject().put("name", "str").put("json-type", "string").put("meta-type", "builtin");
        return list;
    }

    private static ObjectNode reply(JsonNode value) {
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.set("return", value);
        reply.put("id", 7);
        return reply;
    }

    @Test
    void aPrintedValuePrintsAsTheValueInEveryLayout() {
        for (boolean pretty : new boolean[] {false, true}) {
            byte[] plain = QmpJsonWriter.message(reply(schemaLike()), pretty);
            byte[] printed = QmpJsonWriter.message(reply(PrintedValue.of(schemaLike())), pretty);
            assertThat(new String(printed, StandardCharsets.US_ASCII))
                    .as(pretty ? "pretty, CRLF, at depth 1" : "compact")
                    .isEqualTo(new String(plain, StandardCharsets.US_ASCII));
            assertThat(QmpJsonWriter.json(PrintedValue.of(schemaLike()), pretty))
                    .as("LF line ends at depth 0")
                    .isEqualTo(QmpJsonWriter.json(schemaLike(), pretty));
        }
    }

    @Test
    void itIsPrintedOnceAndTheBytesReused() {
        ArrayNode value = schemaLike();
        var node = PrintedValue.of(value);
        String first = new String(QmpJsonWriter.message(reply(node), false), StandardCharsets.US_ASCII);
        value.removeAll(); // a value that changes anyway: the bytes printed first are what is sent
        assertThat(new String(QmpJsonWriter.message(reply(node), false), StandardCharsets.US_ASCII))
                .isEqualTo(first)
                .contains("cmd-2");
    }
}
