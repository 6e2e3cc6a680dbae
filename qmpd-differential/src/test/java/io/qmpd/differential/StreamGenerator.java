package io.qmpd.differential;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Random client byte streams, the same for both servers: valid and invalid requests, ids of every
 * JSON type, unknown commands, argument errors of commands both servers have, envelope errors,
 * malformed JSON and mutated requests, cut into random chunks. Every stream ends with a recovery
 * byte, a newline and the end marker request. No request can change the machine's state: valid
 * requests use side-effect-free queries, every other request fails before it runs.
 */
final class StreamGenerator {

    /** Queries without arguments or side effects whose answer is the same for both servers when both have them. */
    static final List<String> SAFE_QUERIES = List.of(
            "query-status",
            "query-name",
            "query-kvm",
            "query-uuid",
            "query-version",
            "query-chardev",
            "query-iothreads",
            "query-balloon",
            "query-mice",
            "query-hotpluggable-cpus",
            "query-cpus-fast",
            "query-vnc",
            "query-spice",
            "query-migrate",
            "query-named-block-nodes",
            "query-block",
            "query-pci",
            "query-fdsets",
            "query-jobs");

    /** Commands with a required string member, for missing-member and wrong-type errors. */
    static final Map<String, String> REQUIRED_STRING = new TreeMap<>(Map.of(
            "chardev-remove",
            "id",
            "qom-list",
            "path",
            "object-del",
            "id",
            "human-monitor-command",
            "command-line",
            "getfd",
            "fdname",
            "closefd",
            "fdname",
            "device_del",
            "id",
            "netdev_del",
            "id",
            "qom-get",
            "path",
            "qom-list-properties",
            "typename"));

    private static final String[] MALFORMED = {
        "{\"execute\": }",
        "{]",
        "}",
        "]",
        "{'execute':foo}",
        "{\"a\":1,\"a\":2}",
        "{\"execute\": \"query-name\", }",
        "nul ",
        "truex ",
        "01 ",
        "\"\u0001\"",
        "'bad \u00ff'",
        "\"\\uD800\"",
        "\"\\q\"",
        "TRUE",
        "#",
        "%%p",
        "{\"execute\": \"query-\u00c3\u0028\"}",
        "\u0000",
        "[1,]",
        "{\"execute\" \"x\"}",
        "{1: 2}",
        "-",
        "1.",
        "1e",
        "'\"'",
        "\"\\u0000\"",
        "{\"execute\": \"qu\u00e9ry\"}",
        "[[[[]]]",
        "\u007f",
        "/",
        ",",
        ":",
    };

    private static final String[] ENVELOPE = {
        "{\"execute\": 1}",
        "{}",
        "{\"execute\": \"query-name\", \"extra\": 1}",
        "[]",
        "42 ",
        "\"str\"",
        "{\"exec-oob\": \"query-name\"}",
        "{\"execute\": \"query-name\", \"arguments\": null}",
        "{\"execute\": \"query-name\", \"control\": {}}",
        "{\"execute\": [\"query-name\"]}",
        "null ",
        "true ",
        "{\"execute\": \"query-name\", \"exec-oob\": \"query-name\"}",
        "{\"arguments\": {}}",
    };

    private final Random random;
    private final List<String> safe;
    private final List<String> shared;
    private final List<String> required;

    StreamGenerator(long seed, Set<String> sharedCommands) {
        this.random = new Random(seed);
        this.shared = new ArrayList<>(new TreeSet<>(sharedCommands));
        this.safe = SAFE_QUERIES.stream().filter(sharedCommands::contains).toList();
        this.required = REQUIRED_STRING.keySet().stream()
                .filter(sharedCommands::contains)
                .toList();
    }

    List<String> safeQueries() {
        return safe;
    }

    /** One session's stream, cut into chunks. */
    List<byte[]> session() {
        StringBuilder s = new StringBuilder();
        if (random.nextInt(10) > 0) {
            s.append("{\"execute\": \"qmp_capabilities\"}\n");
        }
        int items = 1 + random.nextInt(12);
        for (int i = 0; i < items; i++) {
            s.append(item());
            s.append(
                    switch (random.nextInt(4)) {
                        case 0 -> "";
                        case 1 -> " ";
                        default -> "\n";
                    });
        }
        s.append("\u0001\n{\"execute\": \"query-status\", \"id\": " + QmpSession.END_ID + "}\n");
        return chunks(s.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private String item() {
        return switch (random.nextInt(11)) {
            case 0, 1 -> request(pick(safe), null);
            case 2 -> request("no-such-command-" + random.nextInt(1000), null);
            case 3 -> request(pick(shared), "[" + random.nextInt(9) + "]");
            case 4 -> request(pick(shared), "{\"zzz-bogus\": " + id() + "}");
            case 5 -> request(pick(required), "{}");
            case 6 -> {
                String cmd = pick(required);
                yield request(cmd, "{\"" + REQUIRED_STRING.get(cmd) + "\": " + wrongForString() + "}");
            }
            case 7 -> ENVELOPE[random.nextInt(ENVELOPE.length)];
            case 8 -> MALFORMED[random.nextInt(MALFORMED.length)];
            case 9 ->
                mutate(random.nextBoolean() ? request(pick(safe), null) : ENVELOPE[random.nextInt(ENVELOPE.length)]);
            default -> "[".repeat(1 + random.nextInt(1100)) + "]".repeat(random.nextInt(1100)) + "\u0001";
        };
    }

    private String request(String command, String arguments) {
        StringBuilder r = new StringBuilder("{\"execute\": \"").append(command).append('"');
        if (arguments != null) {
            r.append(", \"arguments\": ").append(arguments);
        }
        if (random.nextInt(3) > 0) {
            r.append(", \"id\": ").append(id());
        }
        return r.append('}').toString();
    }

    /** An id of any JSON type. */
    String id() {
        return switch (random.nextInt(14)) {
            case 0 -> Integer.toString(random.nextInt());
            case 1 -> Long.toString(random.nextLong());
            case 2 -> "18446744073709551615";
            case 3 -> "-0";
            case 4 -> Double.toString(random.nextDouble() * 1000);
            case 5 -> "1e3";
            case 6 -> "\"s" + random.nextInt(100) + "\"";
            case 7 -> "\"tab\\t nl\\n q\\\" bs\\\\ u\\u00e9 \\ud83d\\ude00 ctl\\u0001\"";
            case 8 -> "'single \"quoted\"'";
            case 9 -> random.nextBoolean() ? "true" : "false";
            case 10 -> "null";
            case 11 -> "[1, \"two\", [3], {}]";
            case 12 -> "{\"b\": 1, \"a\": [null, 2.5]}";
            default -> "\"caf\u00c3\u00a9\"";
        };
    }

    private String wrongForString() {
        String[] wrong = {"5", "true", "null", "[]", "{}", "1.5", "-1"};
        return wrong[random.nextInt(wrong.length)];
    }

    private String mutate(String text) {
        char[] c = text.toCharArray();
        String alphabet = "{}[]:,\"' \n\u0001\u00ffa1-.\\";
        int at = random.nextInt(c.length);
        c[at] = alphabet.charAt(random.nextInt(alphabet.length()));
        return new String(c);
    }

    private List<byte[]> chunks(byte[] stream) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        int i = 0;
        while (i < stream.length) {
            int n = Math.min(stream.length - i, random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(200));
            cur.write(stream, i, n);
            out.add(cur.toByteArray());
            cur.reset();
            i += n;
        }
        return out;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
