package io.qmpd.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QmpJsonWriterTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static String message(JsonNode value, boolean pretty) {
        return new String(QmpJsonWriter.message(value, pretty), StandardCharsets.US_ASCII);
    }

    /** The greeting, built in the order QEMU's output visitor inserts the members. */
    static ObjectNode greeting() {
        ObjectNode qemu = NODES.objectNode().put("major", 7).put("minor", 2).put("micro", 22);
        ObjectNode version = NODES.objectNode();
        version.set("qemu", qemu);
        version.put("package", "Debian 1:7.2+dfsg-7+deb12u18+b3");
        ObjectNode body = NODES.objectNode();
        body.set("version", version);
        body.set("capabilities", NODES.arrayNode().add("oob"));
        ObjectNode greeting = NODES.objectNode();
        greeting.set("QMP", body);
        return greeting;
    }

    @Test
    void greetingIsByteIdenticalToQemus() {
        assertThat(message(greeting(), false))
                .isEqualTo(
                        "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, "
                                + "\"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"capabilities\": [\"oob\"]}}\r\n");
    }

    @Test
    void emptyReturnIsCompactOnOneLine() {
        ObjectNode reply = NODES.objectNode();
        reply.set("return", NODES.objectNode());
        assertThat(message(reply, false)).isEqualTo("{\"return\": {}}\r\n");
        reply.set("return", NODES.arrayNode());
        assertThat(message(reply, false)).isEqualTo("{\"return\": []}\r\n");
    }

    @Test
    void prettyEmptyContainersStillBreakTheLine() {
        ObjectNode reply = NODES.objectNode();
        reply.set("return", NODES.objectNode());
        assertThat(message(reply, true)).isEqualTo("{\r\n    \"return\": {\r\n    }\r\n}\r\n");
        assertThat(message(NODES.arrayNode(), true)).isEqualTo("[\r\n]\r\n");
    }

    @Test
    void prettyIndentsFourSpacesPerLevel() {
        ObjectNode inner = NODES.objectNode();
        inner.set("a", NODES.arrayNode());
        ArrayNode list = NODES.arrayNode().add(1);
        list.add(inner);
        ObjectNode reply = NODES.objectNode();
        reply.set("return", list);
        reply.put("id", "x");
        assertThat(message(reply, true))
                .isEqualTo("{\r\n    \"return\": [\r\n        1,\r\n        {\r\n"
                        + "            \"a\": [\r\n            ]\r\n        }\r\n    ],\r\n    \"id\": \"x\"\r\n}\r\n");
        assertThat(QmpJsonWriter.json(reply, true))
                .isEqualTo("{\n    \"return\": [\n        1,\n        {\n"
                        + "            \"a\": [\n            ]\n        }\n    ],\n    \"id\": \"x\"\n}");
    }

    @Test
    void errorReplyPutsIdBeforeErrorAndClassBeforeDesc() {
        ObjectNode error =
                NODES.objectNode().put("class", "CommandNotFound").put("desc", "The command nope has not been found");
        ObjectNode reply = NODES.objectNode();
        reply.set("error", error);
        reply.put("id", 1);
        assertThat(message(reply, false))
                .isEqualTo(
                        "{\"id\": 1, \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command nope has not been found\"}}\r\n");
    }

    @Test
    void eventPutsTimestampEventData() {
        ObjectNode event = NODES.objectNode();
        event.put("event", "STOP");
        event.set("data", NODES.objectNode());
        event.set("timestamp", NODES.objectNode().put("seconds", 1700000000L).put("microseconds", 5));
        assertThat(message(event, false))
                .isEqualTo(
                        "{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 5}, \"event\": \"STOP\", \"data\": {}}\r\n");
    }

    @Test
    void chardevInfoPrintsFrontendOpenFilenameLabel() {
        ObjectNode info = NODES.objectNode()
                .put("label", "qmp0")
                .put("filename", "unix:/tmp/qg/qmp0.sock,server=on")
                .put("frontend-open", true);
        assertThat(QmpJsonWriter.json(info, false))
                .isEqualTo(
                        "{\"frontend-open\": true, \"filename\": \"unix:/tmp/qg/qmp0.sock,server=on\", \"label\": \"qmp0\"}");
    }

    static Stream<Arguments> escapes() {
        return Stream.of(
                arguments("a\"b", "\"a\\\"b\""),
                arguments("a\\b", "\"a\\\\b\""),
                arguments("/", "\"/\""),
                arguments("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\""),
                arguments("\u0001\u001F", "\"\\u0001\\u001F\""),
                arguments("\u007F", "\"\\u007F\""),
                arguments("\u00E9", "\"\\u00E9\""),
                arguments("\u20AC", "\"\\u20AC\""),
                arguments("\uD83D\uDE00", "\"\\uD83D\\uDE00\""),
                arguments("\u0000", "\"\\u0000\""),
                arguments("\uFFFD", "\"\\uFFFD\""),
                arguments("\uD800x", "\"\\uFFFDx\""),
                arguments("x\uDC00", "\"x\\uFFFD\""),
                arguments("\uDC00\uD800", "\"\\uFFFD\\uFFFD\""),
                arguments("\uFDD0\uFDEF\uFFFE\uFFFF", "\"\\uFFFD\\uFFFD\\uFFFD\\uFFFD\""),
                arguments("\uFDCF\uFDF0", "\"\\uFDCF\\uFDF0\""),
                arguments("\uD83F\uDFFE\uDBFF\uDFFF", "\"\\uFFFD\\uFFFD\""),
                arguments("\uDBFF\uDFFD", "\"\\uDBFF\\uDFFD\""),
                arguments(" ~", "\" ~\""));
    }

    @ParameterizedTest
    @MethodSource("escapes")
    void stringsAreEscapedAsQuotedStrDoes(String text, String json) {
        assertThat(QmpJsonWriter.json(NODES.textNode(text), false)).isEqualTo(json);
    }

    @Test
    void longStringsOfEveryKindGrowTheBuffer() {
        String text = "\u00E9".repeat(10_000) + "x".repeat(10_000) + "\uD83D\uDE00".repeat(5_000);
        String json = QmpJsonWriter.json(NODES.textNode(text), false);
        assertThat(json)
                .isEqualTo(
                        "\"" + "\\u00E9".repeat(10_000) + "x".repeat(10_000) + "\\uD83D\\uDE00".repeat(5_000) + "\"");
    }

    @Test
    void keysAreEscapedLikeStrings() {
        assertThat(QmpJsonWriter.json(NODES.objectNode().put("k\u00E9\"", 1), false))
                .isEqualTo("{\"k\\u00E9\\\"\": 1}");
    }

    @Test
    void numbersPrintAsQemuPrintsInt64Uint64AndDouble() {
        ArrayNode numbers = NODES.arrayNode()
                .add(0)
                .add(-1)
                .add(Long.MIN_VALUE)
                .add(Long.MAX_VALUE)
                .add(new BigInteger("18446744073709551615"))
                .add(new BigInteger("18446744073709551616"))
                .add(new BigInteger("-9223372036854775809"))
                .add(new BigInteger("42"))
                .add(0.1)
                .add(1e20)
                .add(100.0)
                .add(-0.0)
                .add(1.5f)
                .add(new BigDecimal("2.5"))
                .add((short) 7);
        assertThat(QmpJsonWriter.json(numbers, false))
                .isEqualTo("[0, -1, -9223372036854775808, 9223372036854775807, "
                        + "18446744073709551615, 1.8446744073709552e+19, -9.2233720368547758e+18, 42, 0.10000000000000001, "
                        + "1e+20, 100, -0, 1.5, 2.5, 7]");
    }

    @Test
    void scalarsAtTopLevel() {
        assertThat(message(NODES.booleanNode(true), false)).isEqualTo("true\r\n");
        assertThat(message(NODES.booleanNode(false), true)).isEqualTo("false\r\n");
        assertThat(message(NODES.nullNode(), false)).isEqualTo("null\r\n");
        assertThat(message(NODES.textNode("s"), true)).isEqualTo("\"s\"\r\n");
    }

    @Test
    void nonJsonNodesAreRefusedAndTheWriterStaysUsable() {
        QmpJsonWriter writer = new QmpJsonWriter(4);
        writer.appendMessage(NODES.textNode("ok"), false);
        ObjectNode bad = NODES.objectNode().put("a", 1).put("b", 2);
        bad.set("c", NODES.pojoNode(new Object()));
        assertThatThrownBy(() -> writer.appendMessage(bad, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value: POJO (expected: object, array, string, number, boolean or null)");
        writer.appendMessage(greeting(), false);
        assertThat(writer.toString()).isEqualTo("\"ok\"\r\n" + message(greeting(), false));
    }

    @Test
    void aReusedWriterAppendsAndClears() {
        QmpJsonWriter writer = new QmpJsonWriter(1);
        writer.appendMessage(NODES.numberNode(1), false).appendMessage(NODES.numberNode(2), true);
        assertThat(writer.length()).isEqualTo(6);
        assertThat(new String(writer.array(), 0, writer.length(), StandardCharsets.US_ASCII))
                .isEqualTo("1\r\n2\r\n");
        assertThat(writer.toByteBuffer().remaining()).isEqualTo(6);
        writer.clear();
        writer.appendMessage(greeting(), false);
        assertThat(writer.toByteArray()).isEqualTo(QmpJsonWriter.message(greeting(), false));
    }

    @Test
    void nonPositiveCapacityIsRefused() {
        assertThatThrownBy(() -> new QmpJsonWriter(0)).hasMessage("initialCapacity: 0 (expected: > 0)");
    }
}
