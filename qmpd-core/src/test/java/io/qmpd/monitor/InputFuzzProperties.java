package io.qmpd.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.chardev.TestChardev;
import io.qmpd.qapi.QmpException;
import io.qmpd.qapi.Schema;
import io.qmpd.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Fuzzing of the input path through the in-memory chardev: random, mutated and hostile byte
 * streams (invalid UTF-8, NUL, control bytes, deep nesting, long tokens) in random chunks never
 * kill the monitor, never hang it, never keep input, and a valid request after a recovery byte is
 * always answered. Argument validation with random JSON for every real command throws nothing but
 * {@link QmpException}. The longer run is {@code bench/fuzz.sh} (raises the tries).
 */
class InputFuzzProperties {

    private static final String[] TOKENS = {
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"execute\"",
        "\"arguments\"",
        "\"id\"",
        "\"exec-oob\"",
        "\"control\"",
        "\"query-name\"",
        "\"query-status\"",
        "\"qmp_capabilities\"",
        "\"nope\"",
        "'single'",
        "1",
        "-0",
        "1e400",
        "18446744073709551616",
        "null",
        "true",
        "nul",
        "TRUE",
        "\"\\u0000\"",
        "\"\\uD800\"",
        "\"\\q\"",
        " ",
        "\n",
        "\r",
        "\t",
        "\u0000",
        "\u0001",
        "\u007f",
        "\u00ff",
        "\u00fe",
        "\u00c3\u0028",
        "\u00e9",
        "%",
        "#",
        "/",
    };
    private static final String AFTER = "\u0001\n{\"execute\": \"query-name\", \"id\": \"after\"}\n";
    private static final String ANSWER = "{\"return\": {}, \"id\": \"after\"}\r\n";

    private TestServer t;
    private TestChardev c;

    @BeforeProperty
    void start() {
        t = new TestServer();
        c = t.negotiated("fuzz", true);
    }

    @AfterProperty
    void stop() {
        t.close();
    }

    @Property
    void anyStreamThenARecoveryByteStillGetsTheNextRequestAnswered(
            @ForAll("streams") byte[] stream, @ForAll("seeds") long chunkSeed) {
        Random r = new Random(chunkSeed);
        int i = 0;
        while (i < stream.length) {
            int n = Math.min(stream.length - i, 1 + r.nextInt(64));
            byte[] chunk = new byte[n];
            System.arraycopy(stream, i, chunk, 0, n);
            c.send(chunk);
            i += n;
        }
        c.send(AFTER.getBytes(StandardCharsets.ISO_8859_1));
        int seen = 0;
        String line;
        while (!(line = c.next()).equals(ANSWER)) { // next() fails after 5 s: no hang
            assertThat(line).endsWith("\r\n");
            assertThat(++seen).as("replies before the answer").isLessThan(stream.length + 4);
        }
        assertThat(c.keptBytes()).as("input kept after the answer").isZero();
        long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThat(used).as("heap in use").isLessThan(Runtime.getRuntime().maxMemory());
    }

    @Provide
    Arbitrary<byte[]> streams() {
        Arbitrary<byte[]> tokens = Arbitraries.of(TOKENS)
                .list()
                .ofMaxSize(60)
                .map(l -> String.join("", l).getBytes(StandardCharsets.ISO_8859_1));
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> mutated = Arbitraries.integers()
                .between(0, 40)
                .list()
                .ofMinSize(1)
                .ofMaxSize(4)
                .map(InputFuzzProperties::mutatedRequest);
        Arbitrary<byte[]> deep = Arbitraries.integers()
                .between(1000, 1100)
                .map(d -> ("[".repeat(d) + "]".repeat(d / 2)).getBytes(StandardCharsets.ISO_8859_1));
        Arbitrary<byte[]> longToken = Arbitraries.integers()
                .between(1, 300_000)
                .map(n -> ("\"" + "x".repeat(n)).getBytes(StandardCharsets.ISO_8859_1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, tokens),
                net.jqwik.api.Tuple.of(3, raw),
                net.jqwik.api.Tuple.of(3, mutated),
                net.jqwik.api.Tuple.of(1, deep),
                net.jqwik.api.Tuple.of(1, longToken));
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    private static byte[] mutatedRequest(List<Integer> positions) {
        byte[] b = "{\"execute\": \"query-status\", \"arguments\": {}, \"id\": [1, {\"a\": \"b\"}]}"
                .getBytes(StandardCharsets.ISO_8859_1);
        String alphabet = "{}[]:,\"' \n\u0001\u00ffa1-.\\\u0000";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int p : positions) {
            b[p % b.length] = (byte) alphabet.charAt(p % alphabet.length());
        }
        out.writeBytes(b);
        return out.toByteArray();
    }

    @Property
    void argumentValidationOfEveryCommandThrowsOnlyQmpErrors(
            @ForAll("commands") Schema.Command command, @ForAll("objects") ObjectNode arguments) {
        try {
            SCHEMA.checkArguments(command, arguments);
        } catch (QmpException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    private static final Schema SCHEMA = Schema.builtin();
    private static final String[] MEMBERS = {
        "id", "path", "chardev", "backend", "type", "data", "addr", "enable", "fdname", "property", "value",
        "qom-type", "mode", "pretty", "command-line", "typename", "server", "wait", "port", "host", "str", "size",
        "cpu-index", "props", "name", "zzz", "", "driver", "reconnect", "nodelay",
    };

    @Provide
    Arbitrary<Schema.Command> commands() {
        return Arbitraries.of(List.copyOf(SCHEMA.commands()));
    }

    @Provide
    Arbitrary<ObjectNode> objects() {
        return Arbitraries.longs().map(seed -> randomObject(new Random(seed), 4));
    }

    private static ObjectNode randomObject(Random r, int depth) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            o.set(MEMBERS[r.nextInt(MEMBERS.length)], randomValue(r, depth - 1));
        }
        return o;
    }

    private static JsonNode randomValue(Random r, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (depth <= 0 ? r.nextInt(7) : r.nextInt(9)) {
            case 0:
                return f.nullNode();
            case 1:
                return f.booleanNode(r.nextBoolean());
            case 2:
                return f.numberNode(r.nextLong());
            case 3:
                return f.numberNode(r.nextDouble() * 1e6 - 5e5);
            case 4:
                return f.textNode(MEMBERS[r.nextInt(MEMBERS.length)]);
            case 5:
                return f.textNode("unix");
            case 6:
                return f.numberNode(new BigInteger("18446744073709551615"));
            case 7: {
                ArrayNode a = f.arrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(randomValue(r, depth - 1));
                }
                return a;
            }
            default:
                return randomObject(r, depth - 1);
        }
    }
}
