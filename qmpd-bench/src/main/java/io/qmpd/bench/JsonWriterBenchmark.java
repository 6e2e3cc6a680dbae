package io.qmpd.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.json.QmpJsonWriter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Printing replies with {@link QmpJsonWriter}: the greeting, a query-version reply, and a
 * query-qmp-schema-sized reply (about 200 KB, built synthetically in the shape of QEMU's
 * introspection so this module needs nothing from outside the repository). Jackson's own
 * serializer on the same schema tree is the baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JsonWriterBenchmark {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] BUILTINS = {"str", "int", "bool", "number", "null", "any", "size", "uint64"};

    private final QmpJsonWriter writer = new QmpJsonWriter();
    private final ObjectMapper jackson = new ObjectMapper();
    private JsonNode greeting;
    private JsonNode versionReply;
    private JsonNode schemaReply;

    @Setup
    public void setUp() {
        greeting = greeting();
        ObjectNode reply = NODES.objectNode();
        reply.set("return", version());
        reply.put("id", "libvirt-42");
        versionReply = reply;
        schemaReply = schema();
        int size = QmpJsonWriter.message(schemaReply, false).length;
        if (size < 180_000 || size > 260_000) {
            throw new IllegalStateException("schema reply: " + size + " bytes (expected: about 200 KB)");
        }
    }

    @Benchmark
    public byte[] greetingNewArray() {
        return QmpJsonWriter.message(greeting, false);
    }

    @Benchmark
    public int greetingReusedBuffer() {
        writer.clear();
        return writer.appendMessage(greeting, false).length();
    }

    @Benchmark
    public int queryVersionReply() {
        writer.clear();
        return writer.appendMessage(versionReply, false).length();
    }

    @Benchmark
    public int queryQmpSchemaReply() {
        writer.clear();
        return writer.appendMessage(schemaReply, false).length();
    }

    @Benchmark
    public int queryQmpSchemaReplyPretty() {
        writer.clear();
        return writer.appendMessage(schemaReply, true).length();
    }

    @Benchmark
    public byte[] queryQmpSchemaJacksonBaseline() throws JsonProcessingException {
        return jackson.writeValueAsBytes(schemaReply);
    }

    private static ObjectNode version() {
        ObjectNode qemu = NODES.objectNode().put("major", 7).put("minor", 2).put("micro", 22);
        ObjectNode version = NODES.objectNode();
        version.set("qemu", qemu);
        version.put("package", "Debian 1:7.2+dfsg-7+deb12u18+b3");
        return version;
    }

    private static JsonNode greeting() {
        ObjectNode body = NODES.objectNode();
        body.set("version", version());
        body.set("capabilities", NODES.arrayNode().add("oob"));
        ObjectNode greeting = NODES.objectNode();
        greeting.set("QMP", body);
        return greeting;
    }

    /** Commands, events, objects, enums and arrays in QEMU's SchemaInfo shapes, about 200 KB. */
    private static JsonNode schema() {
        ArrayNode entities = NODES.arrayNode();
        int type = 0;
        for (int i = 0; i < 350; i++) {
            entities.add(NODES.objectNode()
                    .put("name", "query-thing-" + i)
                    .put("ret-type", String.valueOf(type++))
                    .put("meta-type", "command")
                    .put("arg-type", String.valueOf(type++)));
            entities.add(NODES.objectNode()
                    .put("name", "THING_EVENT_" + i)
                    .put("meta-type", "event")
                    .put("arg-type", String.valueOf(type++)));
            ArrayNode members = NODES.arrayNode();
            for (int m = 0; m < 4; m++) {
                ObjectNode member =
                        NODES.objectNode().put("name", "member-" + m).put("type", BUILTINS[(i + m) % 8]);
                if (m % 2 == 1) {
                    member.set("default", NODES.nullNode());
                }
                members.add(member);
            }
            ObjectNode object = NODES.objectNode().put("name", String.valueOf(type++));
            object.set("members", members);
            object.put("meta-type", "object");
            entities.add(object);
            ArrayNode values = NODES.arrayNode();
            for (int v = 0; v < 3; v++) {
                values.add("value-" + v);
            }
            ObjectNode enumeration =
                    NODES.objectNode().put("name", String.valueOf(type++)).put("meta-type", "enum");
            enumeration.set("values", values);
            enumeration.set("members", NODES.arrayNode().add(NODES.objectNode().put("name", "value-0")));
            entities.add(enumeration);
            entities.add(NODES.objectNode()
                    .put("name", "[" + (type - 1) + "]")
                    .put("element-type", String.valueOf(type - 1))
                    .put("meta-type", "array"));
        }
        ObjectNode reply = NODES.objectNode();
        reply.set("return", entities);
        return reply;
    }
}
