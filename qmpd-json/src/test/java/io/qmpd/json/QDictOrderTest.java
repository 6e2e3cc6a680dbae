package io.qmpd.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QDictOrderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Appendix B of the spec, written from its pseudo code over explicit bytes. */
    private static int referenceBucket(byte[] k) {
        int v = 0x238F13AF * k.length;
        for (int i = 0; i < k.length; i++) {
            v += (k[i] & 0xFF) << ((i * 5) % 24);
        }
        int h = 1103515243 * v + 12345;
        return Integer.remainderUnsigned(h, 512);
    }

    @ParameterizedTest
    @CsvSource({
        "return, 401",
        "id, 486",
        "error, 489",
        "class, 211",
        "desc, 377",
        "timestamp, 26",
        "event, 361",
        "data, 505",
        "seconds, 5",
        "microseconds, 374",
        "version, 184",
        "capabilities, 216",
        "qemu, 232",
        "package, 326",
        "micro, 225",
        "minor, 225",
        "major, 481"
    })
    void bucketsOfWellKnownKeysAreTheOnesTheSpecComputed(String key, int bucket) {
        assertThat(QDictOrder.bucket(key)).isEqualTo(bucket);
    }

    @Property(tries = 500)
    void asciiKeysHashLikeTheReference(@ForAll @CharRange(from = 1, to = 127) @StringLength(max = 40) String key) {
        assertThat(QDictOrder.bucket(key)).isEqualTo(referenceBucket(key.getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 500)
    void nonAsciiKeysHashTheirUtf8Bytes(@ForAll @CharRange(from = 1, to = 0xD7FF) @StringLength(max = 20) String key) {
        assertThat(QDictOrder.bucket(key)).isEqualTo(referenceBucket(key.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void supplementaryCharactersHashTheirFourUtf8Bytes() {
        String key = "a\uD83D\uDE00b";
        assertThat(QDictOrder.bucket(key)).isEqualTo(referenceBucket(key.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void nulHashesAsModifiedUtf8C080() {
        byte[] bytes = {'a', (byte) 0xC0, (byte) 0x80, 'b'};
        assertThat(QDictOrder.bucket("a\u0000b")).isEqualTo(referenceBucket(bytes));
    }

    @Test
    void membersOfOneBucketComeMostRecentFirst() {
        ObjectNode qemu = MAPPER.createObjectNode();
        qemu.put("major", 7).put("minor", 2).put("micro", 22);
        assertThat(QmpJsonWriter.json(qemu, false)).isEqualTo("{\"micro\": 22, \"minor\": 2, \"major\": 7}");
        ObjectNode reversed = MAPPER.createObjectNode();
        reversed.put("micro", 22).put("minor", 2).put("major", 7);
        assertThat(QmpJsonWriter.json(reversed, false)).isEqualTo("{\"minor\": 2, \"micro\": 22, \"major\": 7}");
    }

    @Test
    void largeObjectsSortByBucketThenReverseInsertion() {
        ObjectNode big = MAPPER.createObjectNode();
        List<String> inserted = new ArrayList<>();
        for (int i = 0; i < 1500; i++) { // more keys than buckets: many collisions
            String key = "k" + i;
            big.put(key, i);
            inserted.add(key);
        }
        List<String> expected = new ArrayList<>(inserted);
        Collections.reverse(expected);
        expected.sort(Comparator.comparingInt(QDictOrder::bucket)); // stable
        assertThat(QDictOrder.iterationOrder(inserted)).containsExactlyElementsOf(expected);
        String json = QmpJsonWriter.json(big, false);
        List<String> printed = new ArrayList<>();
        readTree(json).fieldNames().forEachRemaining(printed::add);
        assertThat(printed).containsExactlyElementsOf(expected);
    }

    /** QEMU printed every object of these replies in QDict order: buckets never go down. */
    @ParameterizedTest
    @CsvSource({"query-qmp-schema.raw, 1000", "query-commands.raw, 100"})
    void everyObjectQemuPrintedIsInBucketOrder(String file, int atLeast) throws IOException {
        JsonNode reply =
                readTree(Files.readString(SharedConformance.directory().resolve(file), StandardCharsets.US_ASCII));
        List<JsonNode> objects = new ArrayList<>();
        collectObjects(reply, objects);
        assertThat(objects).hasSizeGreaterThan(atLeast);
        for (JsonNode object : objects) {
            int previous = -1;
            for (Map.Entry<String, JsonNode> member : object.properties()) {
                int bucket = QDictOrder.bucket(member.getKey());
                assertThat(bucket)
                        .as("bucket of %s in %s", member.getKey(), object)
                        .isGreaterThanOrEqualTo(previous);
                previous = bucket;
            }
        }
    }

    static void collectObjects(JsonNode node, List<JsonNode> into) {
        if (node.isObject()) {
            into.add(node);
        }
        for (JsonNode child : node) {
            collectObjects(child, into);
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(json, e);
        }
    }

    @Test
    void whatQemuPrintedIsPrintedAgainInTheSameOrder() {
        Random random = new Random(20261206L);
        for (int round = 0; round < 500; round++) {
            int n = 1 + random.nextInt(40);
            List<String> inserted = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                inserted.add("k" + random.nextInt(1000) + "-" + i);
            }
            List<String> printed = QDictOrder.iterationOrder(inserted);
            assertThat(QDictOrder.iterationOrder(QDictOrder.insertionOrderFor(printed)))
                    .as("round %d", round)
                    .isEqualTo(printed);
        }
        // query-version's answer as QEMU 7.2 prints it
        String qemuPrinted = "{\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian\"}";
        ObjectNode asParsed = JsonNodeFactory.instance.objectNode(); // members in the order QEMU printed them
        asParsed.putObject("qemu").put("micro", 22).put("minor", 2).put("major", 7);
        asParsed.put("package", "Debian");
        assertThat(QmpJsonWriter.json(asParsed, false))
                .as("printed as if inserted in that order: not QEMU's bytes")
                .isNotEqualTo(qemuPrinted);
        assertThat(QmpJsonWriter.json(QDictOrder.keepingPrintedOrder(asParsed), false))
                .isEqualTo(qemuPrinted);
    }
}
