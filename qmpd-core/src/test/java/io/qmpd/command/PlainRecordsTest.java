package io.qmpd.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.server.TestServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link PlainRecords} against Jackson: every record it builds is the one Jackson builds. */
class PlainRecordsTest {

    record Strings(String id, String chardev) {}

    record Backend(String id, JsonNode backend) {}

    record Flags(String id, Boolean pretty, boolean server) {}

    record AbsentOnly(List<String> enable, Long size, Integer count, Mode mode, Strings inner) {}

    enum Mode {
        A,
        B
    }

    record Renamed(@JsonProperty("frontend-open") String frontendOpen) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Always(String pty) {}

    record Number(long size) {}

    record Maybe(Optional<String> id) {}

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<JsonNode> VALUES = List.of(
            F.nullNode(),
            F.textNode("x"),
            F.textNode(""),
            F.booleanNode(true),
            F.booleanNode(false),
            F.numberNode(5),
            F.objectNode().put("type", "socket"),
            F.arrayNode().add("oob"));

    private final ObjectMapper jackson = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private final PlainRecords records = new PlainRecords();

    /** Every combination of absent and {@link #VALUES} for the record's members. */
    private <A extends Record> int compareAll(Class<A> type) throws Exception {
        String[] names =
                Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).toArray(String[]::new);
        List<ObjectNode> inputs = new ArrayList<>();
        inputs.add(F.objectNode());
        for (String name : names) {
            List<ObjectNode> more = new ArrayList<>();
            for (ObjectNode base : inputs) {
                for (JsonNode v : VALUES) {
                    more.add(base.deepCopy().set(name, v.deepCopy()));
                }
            }
            inputs.addAll(more);
        }
        int built = 0;
        for (ObjectNode in : inputs) {
            Optional<A> direct = records.read(type, in);
            if (direct.isPresent()) {
                assertThat(direct.get())
                        .as("%s from %s", type.getSimpleName(), in)
                        .isEqualTo(jackson.treeToValue(in, type));
                built++;
                Optional<ObjectNode> written = records.write(direct.get());
                if (written.isPresent()) {
                    // the same bytes, member order included
                    assertThat(written.get().toString())
                            .as("%s written", direct.get())
                            .isEqualTo(jackson.valueToTree(direct.get()).toString());
                }
            }
        }
        return built;
    }

    /** The argument records the server itself registers, each against Jackson on every combination. */
    @Test
    void the_servers_own_argument_records_bind_as_jackson_binds_them() throws Exception {
        try (TestServer t = new TestServer()) {
            int plain = 0;
            for (String name : t.server.commands().names()) {
                Class<?> type = t.server.commands().find(name).orElseThrow().argsType();
                if (type.isRecord() && type != NoArgs.class) {
                    plain += compareAll(type.asSubclass(Record.class)) > 0 ? 1 : 0;
                }
            }
            assertThat(plain).as("argument records PlainRecords binds itself").isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void string_node_and_boolean_members_are_read_as_jackson_reads_them() throws Exception {
        assertThat(compareAll(Strings.class)).isEqualTo(4 * 4); // absent, null, "x" or "" for each
        assertThat(compareAll(Backend.class)).isEqualTo(4 * 9);
        assertThat(compareAll(Flags.class)).isEqualTo(4 * 3 * 3);
    }

    @Test
    void list_number_enum_and_record_members_only_when_absent() throws Exception {
        assertThat(compareAll(AbsentOnly.class)).isEqualTo(1);
        assertThat(records.read(AbsentOnly.class, F.objectNode()))
                .contains(new AbsentOnly(null, null, null, null, null));
    }

    @Test
    void annotated_primitive_and_optional_members_are_left_to_jackson() throws Exception {
        assertThat(compareAll(Renamed.class)).isZero();
        assertThat(compareAll(Number.class)).isZero();
        assertThat(records.read(Maybe.class, F.objectNode())).isEmpty();
        assertThat(records.read(NoArgs.class, F.objectNode())).contains(new NoArgs());
    }

    @Test
    void simple_records_are_written_as_jackson_writes_them_and_others_are_left_to_it() {
        assertThat(records.write(new Flags("a", null, true)))
                .map(Object::toString)
                .contains("{\"id\":\"a\",\"server\":true}");
        assertThat(records.write(new ChardevCommands.ChardevReturn(null)))
                .map(Object::toString)
                .contains("{}");
        assertThat(records.write(new AbsentOnly(null, null, null, null, null))).isEmpty();
        assertThat(records.write(new Renamed("x"))).isEmpty();
        assertThat(records.write(new Always(null))).isEmpty();
        assertThat(records.write("text")).isEmpty();
    }

    @Test
    void a_node_member_is_a_copy() {
        ObjectNode backend = F.objectNode().put("type", "null");
        ObjectNode args = F.objectNode().put("id", "c");
        args.set("backend", backend);
        Backend read = records.read(Backend.class, args).orElseThrow();
        assertThat(read.backend()).isEqualTo(backend).isNotSameAs(backend);
    }

    @Test
    void the_start_up_commands_need_no_object_mapper() {
        assertThat(records.read(ChardevCommands.ChardevAdd.class, (ObjectNode) F.objectNode()
                        .put("id", "qmp")
                        .set("backend", F.objectNode().put("type", "socket"))))
                .isPresent();
        assertThat(records.read(ControlCommands.CapabilitiesArgs.class, F.objectNode()))
                .isPresent();
    }
}
