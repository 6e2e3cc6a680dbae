package io.qmpd.qapi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.qapi.internal.QapiType.AlternateType;
import io.qmpd.qapi.internal.QapiType.EnumType;
import io.qmpd.qapi.internal.QapiType.ObjectType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String ALL_CONSTRUCTS = """
            # a comment at the top, then a blank line

            # Colours we know.
            { 'enum': 'Colour', 'data': [ 'red', { 'name': 'green', 'features': [ 'deprecated' ] } ] }
            { 'struct': 'Base', 'data': { 'kind': 'Colour', '*note': 'str' } }
            { 'struct': 'Red', 'data': { 'depth': 'uint8' } }
            { 'union': 'Paint', 'base': 'Base', 'discriminator': 'kind', 'data': { 'red': 'Red' } }
            { 'union': 'Legacy', 'data': { 'one': 'Red', 'two': 'Red' } }
            { 'alternate': 'Alt', 'data': { 'n': 'int', 's': 'Colour', 'o': 'Red', 'z': 'null' } }
            { 'struct': 'Every', 'data': { '*a': 'int8', '*b': 'int16', '*c': 'int32', '*d': 'int64',
                '*e': 'uint32', '*f': 'uint64', '*g': 'size', '*h': 'number', '*i': 'bool', '*j': 'null',
                '*k': 'any', '*l': [ 'str' ], '*m': { 'type': 'str', 'features': [ 'unstable' ] } } }
            # Paint something.
            { 'command': 'paint', 'data': { 'p': 'Paint', '*alt': 'Alt', '*legacy': 'Legacy', '*every': 'Every' },
              'returns': [ 'Colour' ], 'allow-oob': true, 'allow-preconfig': true, 'features': [ 'unstable' ] }
            { 'command': 'boxed', 'data': 'Paint', 'boxed': true, 'success-response': false }
            { 'event': 'PAINTED', 'data': { 'colour': 'Colour' } }
            { 'pragma': { 'doc-required': false } }
            """;

    private static SchemaModel load(String text) {
        return SchemaLoader.loadText(SchemaReaderTest.class.getClassLoader(), "t.json", text);
    }

    private static String check(SchemaModel m, String command, String args) throws Exception {
        try {
            new InputVisitor(m.types())
                    .visitRoot(m.commands().get(command).argType(), (ObjectNode) JSON.readTree(args));
            return "ok";
        } catch (InputVisitor.Failure f) {
            return f.getMessage();
        }
    }

    @Test
    void readsEveryConstruct() {
        SchemaModel m = load(ALL_CONSTRUCTS);
        EnumType colour = (EnumType) m.types().get("Colour");
        assertThat(colour.values().get(1).features()).containsExactly("deprecated");
        ObjectType legacy = m.types().object("Legacy");
        assertThat(legacy.tag()).isEqualTo("type");
        assertThat(m.types().allMembers(legacy))
                .extracting(QapiType.Member::name)
                .containsExactly("type");
        assertThat(m.types().object(m.types().branch(legacy, "two").name()).members())
                .extracting(QapiType.Member::name)
                .containsExactly("data");
        assertThat(((AlternateType) m.types().get("Alt")).branches()).hasSize(4);
        CommandDef paint = m.commands().get("paint");
        assertThat(paint.retType()).isEqualTo("[Colour]");
        assertThat(paint.allowOob()).isTrue();
        assertThat(paint.allowPreconfig()).isTrue();
        assertThat(paint.successResponse()).isTrue();
        assertThat(paint.features()).containsExactly("unstable");
        assertThat(paint.doc()).isEqualTo("Paint something.");
        assertThat(m.commands().get("boxed").boxed()).isTrue();
        assertThat(m.commands().get("boxed").successResponse()).isFalse();
        assertThat(m.events().get("PAINTED").argType()).isEqualTo("q_obj_PAINTED-arg");
        assertThat(m.types().object("Every").members().get(12).features()).containsExactly("unstable");
    }

    @ParameterizedTest(name = "{1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 256}} | Parameter 'depth' expects uint8",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 255, \"note\": \"n\"}} | ok",
                "paint | {\"p\": {\"kind\": \"green\"}} | ok",
                "paint | {\"p\": {\"kind\": \"green\", \"depth\": 1}} | Parameter 'p.depth' is unexpected",
                "paint | {\"p\": {\"kind\": \"blue\"}} | Parameter 'kind' does not accept value 'blue'",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"alt\": 5} | ok",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"alt\": null} | ok",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"alt\": \"red\"} | ok",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"alt\": \"pink\"} | Parameter 'alt' does not accept value 'pink'",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"alt\": {\"depth\": 1}} | ok",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"alt\": true} | Invalid parameter type for 'alt', expected: Alt",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"legacy\": {\"type\": \"two\", \"data\": {\"depth\": -1}}} | Parameter 'depth' expects uint8",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"every\": {\"a\": 128}} | Parameter 'a' expects int8",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"every\": {\"b\": -32769}} | Parameter 'b' expects int16",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"every\": {\"c\": 2147483648}} | Parameter 'c' expects int32",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"every\": {\"d\": 9223372036854775808}} | Invalid parameter type for 'every.d', expected: integer",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"every\": {\"e\": 4294967296}} | Parameter 'e' expects uint32",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"every\": {\"f\": 18446744073709551615, \"g\": -5}} | ok",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"every\": {\"f\": 18446744073709551616}} | Parameter 'every.f' expects uint64",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"every\": {\"g\": true}} | Parameter 'every.g' expects uint64",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"every\": {\"h\": \"1\"}} | Invalid parameter type for 'every.h', expected: number",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"every\": {\"h\": 1, \"i\": 0}} | Invalid parameter type for 'every.i', expected: boolean",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"every\": {\"j\": 0}} | Invalid parameter type for 'every.j', expected: null",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"every\": {\"j\": null, \"k\": [{}], \"l\": [\"a\", 2]}} | Invalid parameter type for 'every.l[1]', expected: string",
                "paint | {\"p\": {\"kind\": \"red\", \"depth\": 1}, \"every\": {\"l\": {}}} | Invalid parameter type for 'every.l', expected: array",
                "boxed | {\"kind\": \"red\", \"depth\": 3} | ok",
                "boxed | {\"kind\": \"red\"} | Parameter 'depth' is missing",
            })
    void visitsEveryConstructAsQemuDoes(String command, String args, String expected) throws Exception {
        assertThat(check(load(ALL_CONSTRUCTS), command.strip(), args.strip())).isEqualTo(expected.strip());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "`{ 'struct': 'A', 'data': { 'x': 'int' } }\n{ 'struct': 'B', 'data': { 'y': 'Foo' } }` | t.json:2: unknown type 'Foo'",
                "`\n\n{ 'command': 'c', 'returns': [ 'Nope' ] }` | t.json:3: unknown type 'Nope'",
                "`{ 'struct': 'A', 'data': {} }\n{ 'enum': 'A', 'data': [] }` | t.json:2: 'A' is already defined at t.json:1",
                "`{ 'struct': 'str', 'data': {} }` | t.json:1: 'str' is already defined (builtin)",
                "`{ 'command': 'c' }\n{ 'command': 'c' }` | t.json:2: command 'c' is already defined at t.json:1",
                "`{ 'struct': 'A', 'data': { 'x': 'int' }, 'colour': 'red' }` | t.json:1: unknown key 'colour' in struct 'A'",
                "`{ 'thing': 'A' }` | t.json:1: unknown expression 'thing'",
                "`# one\n{ 'struct': 'A',\n  'data': { 'x' 'int' } }` | t.json:3: expected ':'",
                "`{ 'struct': 'A', 'data': { 'x': 'int } }` | t.json:1: missing terminating \"'\"",
                "`{ 'enum': 'E', 'data': ['a'] }\n{ 'union': 'U', 'base': { 'k': 'E' }, 'discriminator': 'k', 'data': { 'b': 'E' } }` | t.json:2: branch 'b' of 'U' is not a value of 'E'",
                "`{ 'union': 'U', 'base': { 'k': 'str' }, 'discriminator': 'k', 'data': {} }` | t.json:1: discriminator 'k' of 'U' must be a mandatory enum member",
                "`{ 'union': 'U', 'base': { 'k': 'str' }, 'discriminator': 'q', 'data': {} }` | t.json:1: discriminator 'q' is not a member of the base of 'U'",
                "`{ 'include': 'nope.json' }` | t.json:1: can't read schema file 'nope.json'",
                "`{ 'command': 'c', 'data': 'str' }` | t.json:1: 'str' must be a struct or union",
                "`{ 'command': 'c', 'allow-oob': 'yes' }` | t.json:1: 'allow-oob' must be true or false",
                "`[ 'x' ]` | t.json:1: expected '{' at top level",
            })
    void aBadSchemaNamesFileAndLine(String text, String expected) {
        assertThatThrownBy(() -> load(text)).isInstanceOf(SchemaException.class).hasMessage(expected.strip());
    }

    @Test
    void includesResolveNextToTheIncludingFileAndAreReadOnce() {
        SchemaModel m = SchemaLoader.load(
                getClass().getClassLoader(),
                List.of(
                        "io/qmpd/qapi/schema/qmpd.json",
                        "io/qmpd/qapi/schema/char.json",
                        "io/qmpd/qapi/schema/simulated-machine.json"));
        assertThat(m.commands()).containsKeys("chardev-add", "query-status", "object-add", "migrate-pause");
    }

    @Test
    void introspectionNumbersTypesAndHidesIntegerWidths() {
        ArrayNode info = Introspector.introspect(load(ALL_CONSTRUCTS));
        Map<String, JsonNode> byName = new HashMap<>();
        info.forEach(e -> byName.put(e.get("name").asText(), e));
        JsonNode paint = byName.get("paint");
        assertThat(paint.get("allow-oob").asBoolean()).isTrue();
        assertThat(paint.get("features").get(0).asText()).isEqualTo("unstable");
        assertThat(paint.get("arg-type").asText()).isEqualTo("0");
        assertThat(paint.get("ret-type").asText()).matches("\\[\\d+]");
        assertThat(byName)
                .containsKeys("int", "[str]", "str", "number", "bool", "null", "any")
                .doesNotContainKeys("int8", "uint8", "size", "Colour");
        JsonNode every = info.findParents("members").stream()
                .filter(e -> e.get("members").size() == 13)
                .findFirst()
                .orElseThrow();
        assertThat(every.get("members").findValuesAsText("type"))
                .containsOnly("int", "number", "bool", "null", "any", "[str]", "str");
        assertThat(every.get("members").get(12).get("features").get(0).asText()).isEqualTo("unstable");
        assertThat(every.get("members").get(0).has("default")).isTrue();
    }
}
