package io.qmpd.qapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaValidationTest {

    private static final Schema SCHEMA = Schema.forBackend(List.of(Schema.SIMULATED_MACHINE_RESOURCE));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String error(String command, String args) throws Exception {
        Schema.Command c = SCHEMA.command(command).orElseThrow();
        QmpException e = catchThrowableOfType(
                QmpException.class, () -> SCHEMA.checkArguments(c, (ObjectNode) JSON.readTree(args)));
        assertThat(e).as("%s %s should fail", command, args).isNotNull();
        assertThat(e.error().errorClass()).isEqualTo(ErrorClass.GenericError);
        return e.error().desc();
    }

    private static void ok(String command, String args) throws Exception {
        Schema.Command c = SCHEMA.command(command).orElseThrow();
        ObjectNode node = (ObjectNode) JSON.readTree(args);
        assertThatCode(() -> SCHEMA.checkArguments(c, node)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                // the recorded QEMU 7.2 cases 013, 014, 016, 027, 028, 029
                "qmp_capabilities | {\"enable\": [\"foo\"]} | Parameter 'null' does not accept value 'foo'",
                "qmp_capabilities | {\"enable\": \"oob\"} | Invalid parameter type for 'enable', expected: array",
                "qmp_capabilities | {\"foo\": 1} | Parameter 'foo' is unexpected",
                "query-version | {\"foo\": 1} | Parameter 'foo' is unexpected",
                "chardev-remove | {\"id\": \"nope\", \"foo\": 1} | Parameter 'foo' is unexpected",
                "chardev-remove | {} | Parameter 'id' is missing",
                "chardev-add | {\"id\": \"x\"} | Parameter 'backend' is missing",
                "chardev-remove | {\"id\": 1} | Invalid parameter type for 'id', expected: string",
                "human-monitor-command | {\"command-line\": \"info version\", \"cpu-index\": \"0\"} | Invalid parameter type for 'cpu-index', expected: integer",
                "chardev-add | {\"id\": \"x\", \"backend\": {\"type\": \"nosuchtype\", \"data\": {}}} | Parameter 'type' does not accept value 'nosuchtype'",
                "chardev-add | {\"id\": \"x\", \"backend\": {\"type\": \"ringbuf\", \"data\": {\"size\": \"big\"}}} | Invalid parameter type for 'backend.data.size', expected: integer",
                // from the spec and QEMU's visitor
                "object-add | {\"qom-type\": \"nosuch\", \"id\": \"o\"} | Parameter 'qom-type' does not accept value 'nosuch'",
                "object-add | {\"qom-type\": \"monitor-qmp\", \"id\": \"m\"} | Parameter 'chardev' is missing",
                "object-add | {\"qom-type\": \"monitor-qmp\", \"id\": \"m\", \"chardev\": \"c\", \"close-action\": \"x\"} | Parameter 'close-action' does not accept value 'x'",
                "object-add | {\"qom-type\": \"monitor-hmp\", \"id\": \"m\", \"chardev\": \"c\", \"pretty\": true} | Parameter 'pretty' is unexpected",
                "object-add | {\"id\": \"m\"} | Parameter 'qom-type' is missing",
                "chardev-add | {\"id\": \"x\", \"backend\": {\"type\": \"null\"}} | Parameter 'backend.data' is missing",
                "chardev-add | {\"id\": \"x\", \"backend\": {\"type\": \"null\", \"data\": {\"x\": 1}}} | Parameter 'backend.data.x' is unexpected",
                "chardev-add | {\"id\": \"x\", \"backend\": []} | Invalid parameter type for 'backend', expected: object",
                "chardev-add | {\"id\": \"x\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {}}}}} | Parameter 'backend.data.addr.data.path' is missing",
                "chardev-add | {\"id\": \"x\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"inet\", \"data\": {\"host\": \"h\", \"port\": \"1\", \"to\": 70000}}}}} | Parameter 'to' expects uint16",
                "chardev-add | {\"id\": \"x\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"inet\", \"data\": {\"host\": \"h\", \"port\": \"1\", \"to\": -1}}}}} | Parameter 'to' expects uint16",
                "chardev-add | {\"id\": \"x\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"inet\", \"data\": {\"host\": \"h\", \"port\": \"1\", \"to\": 1.5}}}}} | Parameter 'backend.data.addr.data.to' expects uint64",
                "chardev-add | {\"id\": \"x\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"inet\", \"data\": {\"host\": \"h\", \"port\": \"1\", \"to\": \"1\"}}}}} | Parameter 'backend.data.addr.data.to' expects uint64",
                "chardev-add | {\"id\": \"x\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"p\"}}, \"server\": 1}}} | Invalid parameter type for 'backend.data.server', expected: boolean",
                "ringbuf-read | {\"device\": \"r\", \"size\": 1.0} | Invalid parameter type for 'size', expected: integer",
                "ringbuf-read | {\"device\": \"r\", \"size\": 18446744073709551615} | Invalid parameter type for 'size', expected: integer",
                "ringbuf-write | {\"device\": \"r\", \"data\": \"x\", \"format\": 1} | Invalid parameter type for 'format', expected: string",
                "qmp_capabilities | {\"enable\": [1]} | Invalid parameter type for 'enable[0]', expected: string",
                "qmp_capabilities | {\"enable\": [\"oob\", null]} | Invalid parameter type for 'enable[1]', expected: string",
                "yank | {\"instances\": [{\"type\": \"chardev\"}]} | Parameter 'instances[0].id' is missing",
                "yank | {\"instances\": [{\"type\": \"migration\", \"id\": \"c\"}]} | Parameter 'instances[0].id' is unexpected",
                "yank | {\"instances\": [{\"type\": \"chardev\", \"id\": \"c\"}, 5]} | Invalid parameter type for 'instances[1]', expected: object",
                "yank | {} | Parameter 'instances' is missing",
                "getfd | {\"fdname\": null} | Invalid parameter type for 'fdname', expected: string",
            })
    void rejectsWithQemusText(String command, String args, String expected) throws Exception {
        assertThat(error(command.strip(), args.strip())).isEqualTo(expected.strip());
    }

    @Test
    void acceptsWellFormedArguments() throws Exception {
        ok("qmp_capabilities", "{}");
        ok("qmp_capabilities", "{\"enable\": [\"oob\", \"oob\"]}");
        ok("chardev-add", "{\"id\": \"c1\", \"backend\": {\"type\": \"null\", \"data\": {}}}");
        ok(
                "chardev-add",
                "{\"id\": \"c\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", "
                        + "\"data\": {\"path\": \"/tmp/s\"}}, \"server\": true, \"wait\": false, \"reconnect-ms\": 100}}}");
        ok("chardev-add", "{\"id\": \"r\", \"backend\": {\"type\": \"memory\", \"data\": {\"size\": 1024}}}");
        ok(
                "object-add",
                "{\"qom-type\": \"monitor-qmp\", \"id\": \"m\", \"chardev\": \"c\", \"close-action\": \"delete\"}");
        ok("object-add", "{\"qom-type\": \"secret\", \"id\": \"s0\", \"data\": \"x\"}");
        ok("yank", "{\"instances\": [{\"type\": \"migration\"}, {\"type\": \"chardev\", \"id\": \"c\"}]}");
        ok(
                "chardev-add",
                "{\"id\": \"x\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"inet\", "
                        + "\"data\": {\"host\": \"h\", \"port\": \"1\", \"to\": 65535}}}}}");
        ok("chardev-add", "{\"id\": \"x\", \"backend\": {\"type\": \"ringbuf\", \"data\": {\"size\": -1}}}");
        ok("qom-get", "{\"path\": \"/\", \"property\": \"type\"}");
    }

    @Test
    void missingIsReportedWhenTheMemberIsVisitedSoAnEarlierTypeErrorWins() throws Exception {
        assertThat(error("chardev-add", "{\"id\": 1}")).isEqualTo("Invalid parameter type for 'id', expected: string");
    }

    @Test
    void leftoversAreCheckedAfterTheMembersOfTheirStruct() throws Exception {
        assertThat(error("chardev-remove", "{\"zzz\": 1}")).isEqualTo("Parameter 'id' is missing");
        // the inner struct ends (with its leftover) before the outer struct's later members are visited
        assertThat(error("chardev-add", "{\"backend\": {\"type\": \"null\", \"data\": {}, \"x\": 1}, \"id\": 5}"))
                .isEqualTo("Invalid parameter type for 'id', expected: string");
        assertThat(error(
                        "chardev-add",
                        "{\"id\": \"i\", \"backend\": {\"type\": \"null\", \"data\": {}, \"x\": 1}, \"y\": 5}"))
                .isEqualTo("Parameter 'backend.x' is unexpected");
    }

    @Test
    void theFirstLeftoverFollowsGlibHashTableOrder() throws Exception {
        // g_str_hash * 11 % 7 puts "b" in slot 2 and "a" in slot 5, whatever the order in the request
        assertThat(error("query-version", "{\"a\": 1, \"b\": 2}")).isEqualTo("Parameter 'b' is unexpected");
        assertThat(error("query-version", "{\"b\": 1, \"a\": 2}")).isEqualTo("Parameter 'b' is unexpected");
    }

    @Test
    void eventDataIsCheckedAgainstTheEvent() throws Exception {
        Schema.Event shutdown = SCHEMA.event("SHUTDOWN").orElseThrow();
        SCHEMA.checkEventData(
                shutdown, (ObjectNode) JSON.readTree("{\"guest\": false, \"reason\": \"host-qmp-quit\"}"));
        SCHEMA.checkEventData(SCHEMA.event("STOP").orElseThrow(), null);
        assertThat(catchThrowableOfType(
                        IllegalArgumentException.class,
                        () -> SCHEMA.checkEventData(
                                shutdown, (ObjectNode) JSON.readTree("{\"guest\": false, \"reason\": \"bored\"}"))))
                .hasMessage("event SHUTDOWN: Parameter 'reason' does not accept value 'bored'");
    }
}
