package io.qmpd.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.chardev.TestChardev;
import io.qmpd.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QmpSessionTest {

    private static final String VER =
            "{\"qemu\": {\"micro\": 0, \"minor\": 0, \"major\": 11}, \"package\": \"qmpd 0.1.0\"}";
    private static final String NEGOTIATE =
            "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Expecting capabilities negotiation with 'qmp_capabilities'\"}}\r\n";

    private final TestServer t = new TestServer();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void greets_with_the_configured_version_and_offers_oob_only_on_io_thread_chardevs() {
        TestChardev a = t.monitor("a", true, false);
        TestChardev b = t.monitor("b", false, false);
        a.connect();
        b.connect();
        assertThat(a.next()).isEqualTo("{\"QMP\": {\"version\": " + VER + ", \"capabilities\": [\"oob\"]}}\r\n");
        assertThat(b.next()).isEqualTo("{\"QMP\": {\"version\": " + VER + ", \"capabilities\": []}}\r\n");
    }

    @Test
    void negotiation_mode_refuses_every_other_command_and_keeps_the_id() {
        TestChardev c = t.monitor("c", true, false);
        c.connect();
        c.next();
        c.send("{\"execute\": \"query-version\"}\n");
        assertThat(c.next()).isEqualTo(NEGOTIATE);
        c.send("{\"execute\": \"no-such-cmd\", \"id\": 7}\n");
        assertThat(c.next()).isEqualTo("{\"id\": 7, " + NEGOTIATE.substring(1));
        c.send("{\"execute\": \"query-commands\"}\n");
        assertThat(c.next()).isEqualTo(NEGOTIATE);
        c.send("{\"exec-oob\": \"qmp_capabilities\"}\n");
        assertThat(c.next())
                .isEqualTo(
                        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'exec-oob' is unexpected\"}}\r\n");
        c.send("{\"execute\": @}\n");
        assertThat(c.next())
                .isEqualTo("{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '@'\"}}\r\n");
        assertThat(c.next())
                .isEqualTo(
                        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expecting value\"}}\r\n");
        c.send("{'execute': 'qmp_capabilities', 'id': 'a'}\n");
        assertThat(c.next()).isEqualTo("{\"return\": {}, \"id\": \"a\"}\r\n");
        c.send("{\"execute\": \"qmp_capabilities\"}\n");
        assertThat(c.next())
                .isEqualTo(
                        "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Capabilities negotiation is already complete, command ignored\"}}\r\n");
        c.send("{\"execute\": \"query-version\", \"id\": \"cookie#1\"}\n");
        assertThat(c.next()).isEqualTo("{\"return\": " + VER + ", \"id\": \"cookie#1\"}\r\n");
    }

    @Test
    void capability_errors_leave_the_monitor_negotiating() {
        TestChardev plain = t.monitor("p", false, false);
        plain.connect();
        plain.next();
        plain.send("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}\n");
        assertThat(plain.next())
                .isEqualTo(
                        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Capability oob not available\"}}\r\n");
        plain.send("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"foo\"]}}\n");
        assertThat(plain.next())
                .isEqualTo(
                        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'null' does not accept value 'foo'\"}}\r\n");
        plain.send("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"foo\":1}}\n");
        assertThat(plain.next())
                .isEqualTo(
                        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'foo' is unexpected\"}}\r\n");
        plain.send("{\"execute\": \"query-version\"}\n");
        assertThat(plain.next()).isEqualTo(NEGOTIATE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{\"execute\": \"no-such-cmd\"}|{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command no-such-cmd has not been found\"}}",
                "null|{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}",
                "[1, {\"id\": 2}]|{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}",
                "{}|{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input lacks member 'execute'\"}}",
                "{\"arguments\": {}}|{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input lacks member 'execute'\"}}",
                "{\"id\": \"err-2\"}|{\"id\": \"err-2\", \"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input lacks member 'execute'\"}}",
                "{\"execute\": true}|{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'execute' must be a string\"}}",
                "{\"execute\": \"no-such-cmd\", \"arguments\": []}|{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'arguments' must be an object\"}}",
                "{\"execute\": \"no-such-cmd\", \"extra\": true}|{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'extra' is unexpected\"}}",
                "{\"execute\": \"query-version\", \"id\": 1, \"foo\": 1, \"bar\": 2}|{\"id\": 1, \"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'bar' is unexpected\"}}",
                "{\"execute\": \"query-version\", \"control\": {\"run-oob\": true}}|{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'control' is unexpected\"}}",
                "{\"execute\": \"query-version\", \"exec-oob\": \"query-version\"}|{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'exec-oob' is unexpected\"}}",
                "{\"exec-oob\": \"x-oob-echo\", \"id\": 1}|{\"id\": 1, \"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'exec-oob' is unexpected\"}}",
                "{\"execute\": \"query-status\", \"arguments\": {\"x\": 1}, \"id\": 3}|{\"id\": 3, \"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'x' is unexpected\"}}",
                "{\"execute\": \"x-emit\", \"id\": 3}|{\"id\": 3, \"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'n' is missing\"}}",
                "{\"execute\": \"x-emit\", \"arguments\": {\"n\": \"1\"}}|{\"error\": {\"class\": \"GenericError\", \"desc\": \"Invalid parameter type for 'n', expected: integer\"}}",
                "{\"execute\": \"query-events\"}|{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command query-events has not been found\"}}",
            })
    void envelope_errors_in_command_mode_without_oob(String request, String reply) {
        TestChardev c = t.negotiated("c", false);
        c.send(request + "\n");
        assertThat(c.next()).isEqualTo(reply + "\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{\"execute\":\"query-name\",\"exec-oob\":\"query-name\",\"id\":5}|{\"id\": 5, \"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'execute' clashes with 'exec-oob'\"}}",
                "{\"exec-oob\": \"query-version\", \"id\": 1}|{\"id\": 1, \"error\": {\"class\": \"GenericError\", \"desc\": \"The command query-version does not support OOB\"}}",
                "{\"exec-oob\": 1}|{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'exec-oob' must be a string\"}}",
                "{\"exec-oob\": \"x-oob-echo\", \"id\": \"o\"}|{\"return\": {}, \"id\": \"o\"}",
                "{\"execute\": \"x-oob-echo\", \"id\": \"i\"}|{\"return\": {}, \"id\": \"i\"}",
            })
    void envelope_with_oob_enabled(String request, String reply) {
        TestChardev c = t.negotiated("c", true);
        c.send(request + "\n");
        assertThat(c.next()).isEqualTo(reply + "\r\n");
    }

    @ParameterizedTest(name = "id {0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "1|1",
                "-17|-17",
                "1.5|1.5",
                "1e3|1000",
                "18446744073709551616|1.8446744073709552e+19",
                "9223372036854775807|9223372036854775807",
                "18446744073709551615|18446744073709551615",
                "-0|0",
                "\"abc\"|\"abc\"",
                "\"\"|\"\"",
                "{\"a\": [1, \"b\", null], \"c\": {}}|{\"a\": [1, \"b\", null], \"c\": {}}",
                "[1, 2, {\"x\": true}]|[1, 2, {\"x\": true}]",
                "null|null",
                "true|true",
                "false|false",
                "[]|[]",
                "{}|{}",
                "\"\\u00e9\"|\"\\u00E9\"",
            })
    void echoes_ids_of_every_json_type(String id, String echoed) {
        TestChardev c = t.negotiated("c", false);
        c.send("{\"execute\": \"query-name\", \"id\": " + id + "}\n");
        assertThat(c.next()).isEqualTo("{\"return\": {}, \"id\": " + echoed + "}\r\n");
        c.send("{\"execute\": \"nope\", \"id\": " + id + "}\n");
        assertThat(c.next())
                .isEqualTo(
                        "{\"id\": " + echoed
                                + ", \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command nope has not been found\"}}\r\n");
    }

    @Test
    void several_requests_in_one_write_and_one_request_over_many_writes() {
        TestChardev c = t.negotiated("c", false);
        c.send("{\"execute\":\"query-name\",\"id\":1}{\"execute\":\"query-name\",\"id\":2}");
        assertThat(c.next()).isEqualTo("{\"return\": {}, \"id\": 1}\r\n");
        assertThat(c.next()).isEqualTo("{\"return\": {}, \"id\": 2}\r\n");
        String req = "{\"execute\": \"query-name\"}\n";
        for (char ch : req.toCharArray()) {
            c.send(String.valueOf(ch));
        }
        assertThat(c.next()).isEqualTo("{\"return\": {}}\r\n");
    }

    @Test
    void pretty_monitor_prints_qemus_pretty_form() {
        TestChardev c = t.monitor("p", true, true);
        c.connect();
        assertThat(c.next()).startsWith("{\r\n    \"QMP\": {\r\n");
        c.send("{\"execute\":\"qmp_capabilities\"}\n");
        assertThat(c.next()).isEqualTo("{\r\n    \"return\": {\r\n    }\r\n}\r\n");
    }

    @Test
    void reconnect_resets_negotiation_oob_and_partial_input() {
        TestChardev c = t.negotiated("c", true);
        c.send("{\"execute\": \"query-na");
        c.hangUp();
        c.connect();
        assertThat(c.next()).startsWith("{\"QMP\"");
        c.send("{\"exec-oob\": \"x-oob-echo\", \"id\": 1}\n");
        assertThat(c.next())
                .isEqualTo(
                        "{\"id\": 1, \"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'exec-oob' is unexpected\"}}\r\n");
        c.send("{\"execute\": \"query-name\"}\n");
        assertThat(c.next()).isEqualTo(NEGOTIATE);
        c.send("{\"execute\": \"qmp_capabilities\"}\n");
        assertThat(c.next()).isEqualTo("{\"return\": {}}\r\n");
        c.send("me\"}\n");
        assertThat(c.next())
                .isEqualTo(
                        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, invalid keyword 'me'\"}}\r\n");
    }

    @Test
    void query_commands_lists_the_full_table_in_command_mode() {
        TestChardev c = t.negotiated("c", false);
        c.send("{\"execute\": \"query-commands\"}\n");
        String reply = c.next();
        assertThat(reply)
                .startsWith("{\"return\": [{\"name\": \"qmp_capabilities\"}, {\"name\": \"query-version\"}")
                .contains("{\"name\": \"quit\"}", "{\"name\": \"x-block\"}", "{\"name\": \"stop\"}")
                .contains("{\"name\": \"chardev-add\"}", "{\"name\": \"getfd\"}");
        assertThat(t.server.commands().names()).contains("query-qmp-schema", "query-status", "query-uuid");
    }

    @Test
    void query_qmp_schema_returns_the_schemas_introspection() {
        TestChardev c = t.negotiated("c", false);
        c.send("{\"execute\": \"query-qmp-schema\", \"id\": 1}\n");
        String reply = c.next();
        assertThat(reply)
                .startsWith("{\"return\": [")
                .endsWith("], \"id\": 1}\r\n")
                .contains("\"name\": \"x-oob-echo\"");
        c.send("{\"execute\": \"query-qmp-schema\", \"id\": 2}\n");
        assertThat(c.next()).isEqualTo(reply.replace("\"id\": 1}", "\"id\": 2}"));
    }

    @Test
    void run_state_commands_answer_as_qemu() {
        TestChardev c = t.negotiated("c", false);
        c.send("{\"execute\": \"query-status\"}\n");
        assertThat(c.next())
                .isEqualTo("{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}}\r\n");
        c.send("{\"execute\": \"query-uuid\"}\n");
        assertThat(c.next()).isEqualTo("{\"return\": {\"UUID\": \"00000000-0000-0000-0000-000000000000\"}}\r\n");
    }
}
