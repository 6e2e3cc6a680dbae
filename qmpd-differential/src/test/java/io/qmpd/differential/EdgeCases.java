package io.qmpd.differential;

import java.util.ArrayList;
import java.util.List;

/**
 * Hand-picked requests for the differential run, each run in a session of its own on both
 * servers, undone after (a chardev added is removed, an object deleted): every chardev backend
 * qmpd serves with the options QEMU 7.2 takes for it and a few it refuses, {@code object-add} of a
 * secret with missing, extra, conflicting and wrong-typed properties, and empty and odd strings
 * for commands that take a path or an id. {@code DIR} stands for each server's own directory.
 * What qmpd deliberately does otherwise is listed in docs/compat.md and left out here.
 */
final class EdgeCases {

    /** One case: the request, then what undoes it (or null), and whether to list chardevs in between. */
    record Case(String request, String undo, boolean listChardevs) {}

    private EdgeCases() {}

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        chardevs(cases);
        secrets(cases);
        oddStrings(cases);
        return cases;
    }

    private static void chardevs(List<Case> cases) {
        String[] backends = {
            "{\"type\": \"null\", \"data\": {}}",
            "{\"type\": \"null\", \"data\": {\"logfile\": \"DIR/null.log\", \"logappend\": true}}",
            "{\"type\": \"ringbuf\", \"data\": {}}",
            "{\"type\": \"ringbuf\", \"data\": {\"logfile\": \"DIR/no/such.log\"}}",
            "{\"type\": \"ringbuf\", \"data\": {\"logfile\": \"\"}}",
            "{\"type\": \"ringbuf\", \"data\": {\"logfile\": \"DIR\"}}",
            "{\"type\": \"ringbuf\", \"data\": {\"logfile\": \"DIR/no/such.log\", \"size\": 3}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"DIR/missing.sock\"}}, "
                    + "\"server\": false, \"logfile\": \"DIR/no/such.log\"}}",
            "{\"type\": \"ringbuf\", \"data\": {\"size\": 1}}",
            "{\"type\": \"ringbuf\", \"data\": {\"size\": 1000}}",
            "{\"type\": \"ringbuf\", \"data\": {\"size\": -1}}",
            "{\"type\": \"ringbuf\", \"data\": {\"size\": 2147483648}}",
            "{\"type\": \"ringbuf\", \"data\": {\"size\": 4294967296}}",
            "{\"type\": \"memory\", \"data\": {\"size\": 4096}}",
            "{\"type\": \"file\", \"data\": {\"out\": \"DIR/out.txt\"}}",
            "{\"type\": \"file\", \"data\": {\"out\": \"DIR/out.txt\", \"append\": true}}",
            "{\"type\": \"file\", \"data\": {\"out\": \"DIR/out.txt\", \"in\": \"DIR/missing\"}}",
            "{\"type\": \"file\", \"data\": {\"out\": \"\"}}",
            "{\"type\": \"file\", \"data\": {\"out\": \"DIR\"}}",
            "{\"type\": \"file\", \"data\": {\"out\": \"DIR/no/such/dir\"}}",
            "{\"type\": \"file\", \"data\": {}}",
            "{\"type\": \"pipe\", \"data\": {\"device\": \"DIR/fifo\"}}",
            "{\"type\": \"pipe\", \"data\": {\"device\": \"DIR/missing\"}}",
            "{\"type\": \"pipe\", \"data\": {\"device\": \"\"}}",
            "{\"type\": \"pipe\", \"data\": {\"device\": \"DIR\"}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"DIR/s.sock\"}}, "
                    + "\"server\": true, \"wait\": false}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"DIR/s.sock\"}}}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"DIR/missing.sock\"}}, "
                    + "\"server\": false}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"DIR/x.sock\"}}, "
                    + "\"server\": false, \"wait\": false}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"DIR/x.sock\"}}, "
                    + "\"server\": true, \"reconnect\": 1}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"DIR/subdir\"}}, "
                    + "\"server\": true, \"wait\": false}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"DIR/no/such/x.sock\"}}, "
                    + "\"server\": true, \"wait\": false}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"DIR/"
                    + "p".repeat(120) + "\"}}, \"server\": true, \"wait\": false}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"inet\", \"data\": {\"host\": \"127.0.0.1\", "
                    + "\"port\": \"x\"}}, \"server\": true, \"wait\": false}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"inet\", \"data\": {\"host\": \"127.0.0.1\", "
                    + "\"port\": \"70000\"}}, \"server\": true, \"wait\": false}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"fd\", \"data\": {\"str\": \"nosuch\"}}, "
                    + "\"server\": false}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"fd\", \"data\": {\"str\": \"\"}}, \"server\": false}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": 1}}, \"server\": true}}",
            "{\"type\": \"socket\", \"data\": {\"server\": true}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"DIR/t.sock\", "
                    + "\"tight\": false}}, \"server\": true, \"wait\": false, \"nodelay\": true}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"DIR/r.sock\"}}, "
                    + "\"server\": false, \"reconnect\": 5}}",
            "{\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"inet\", \"data\": {\"host\": \"127.0.0.1\", "
                    + "\"port\": \"1\"}}, \"server\": false}}",
            "{\"type\": \"stdio\", \"data\": {\"signal\": false}}",
            "{\"type\": \"ringbuf\", \"data\": {\"size\": \"64\"}}",
            "{\"type\": \"pipe\", \"data\": {\"device\": \"DIR/fifo\", \"bogus\": 1}}",
            "{\"type\": \"file\", \"data\": {\"out\": \"DIR/out.txt\", \"append\": \"yes\"}}",
            "{\"type\": \"null\", \"data\": {\"bogus\": 1}}",
            "{\"type\": \"null\"}",
            "{\"type\": \"nosuch\", \"data\": {}}",
            "{\"data\": {}}",
        };
        // An id per case: QEMU 7.2 may still hold a reconnecting client's yank instance for a
        // moment after its chardev-remove, and then refuses the next chardev-add of that id
        // ("duplicate yank instance"); a fresh id keeps QEMU's own timing out of the comparison.
        for (int i = 0; i < backends.length; i++) {
            String id = "e" + i;
            cases.add(new Case(
                    "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"" + id + "\", \"backend\": " + backends[i]
                            + "}}",
                    "{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"" + id + "\"}}",
                    true));
        }
        for (String id : new String[] {"", "1x", "a b", "x".repeat(300), "\u00e9"}) {
            cases.add(new Case(
                    "{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"" + id + "\", \"backend\": "
                            + "{\"type\": \"null\", \"data\": {}}}}",
                    null,
                    false));
        }
    }

    private static void secrets(List<Case> cases) {
        String[] props = {
            "",
            "\"data\": \"x\"",
            "\"data\": \"x\", \"file\": \"DIR/secret.txt\"",
            "\"file\": \"DIR/secret.txt\"",
            "\"file\": \"DIR/missing\"",
            "\"file\": \"DIR\"",
            "\"file\": \"\"",
            "\"data\": 1",
            "\"data\": \"x\", \"bogus\": 1",
            "\"data\": \"aGk=\", \"format\": \"base64\"",
            "\"data\": \"a b\", \"format\": \"base64\"",
            "\"data\": \"x\", \"format\": \"hex\"",
            "\"data\": \"x\", \"keyid\": \"nosuch\"",
            "\"data\": \"x\", \"iv\": \"abc\"",
            "\"data\": \"x\", \"loaded\": true",
        };
        for (String p : props) {
            cases.add(new Case(
                    "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"secret\", \"id\": \"sec0\""
                            + (p.isEmpty() ? "" : ", " + p) + "}}",
                    "{\"execute\": \"object-del\", \"arguments\": {\"id\": \"sec0\"}}",
                    false));
        }
        for (String bad : new String[] {
            "{\"qom-type\": \"secret\"}",
            "{\"id\": \"x\"}",
            "{\"qom-type\": \"nosuch\", \"id\": \"x\"}",
            "{\"qom-type\": \"secret\", \"id\": \"\", \"data\": \"x\"}",
            "{\"qom-type\": 1, \"id\": \"x\"}"
        }) {
            cases.add(new Case("{\"execute\": \"object-add\", \"arguments\": " + bad + "}", null, false));
        }
    }

    private static void oddStrings(List<Case> cases) {
        String[] odd = {
            "",
            "/",
            "//",
            ".",
            "..",
            "/machine",
            "/machine/",
            "machine",
            "peripheral",
            "/machine/peripheral",
            "/chardevs",
            "chardevs",
            "/nosuch",
            "nosuch",
            "/chardevs/nosuch",
            " ",
            "\\u00e9",
            "a/b"
        };
        for (String s : odd) {
            cases.add(new Case("{\"execute\": \"device_del\", \"arguments\": {\"id\": \"" + s + "\"}}", null, false));
            cases.add(new Case(
                    "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"" + s + "\", \"property\": \"type\"}}",
                    null,
                    false));
            cases.add(
                    new Case("{\"execute\": \"chardev-remove\", \"arguments\": {\"id\": \"" + s + "\"}}", null, false));
            cases.add(new Case("{\"execute\": \"object-del\", \"arguments\": {\"id\": \"" + s + "\"}}", null, false));
            cases.add(new Case(
                    "{\"execute\": \"ringbuf-read\", \"arguments\": {\"device\": \"" + s + "\", \"size\": 1}}",
                    null,
                    false));
            cases.add(new Case("{\"execute\": \"closefd\", \"arguments\": {\"fdname\": \"" + s + "\"}}", null, false));
            cases.add(new Case("{\"execute\": \"getfd\", \"arguments\": {\"fdname\": \"" + s + "\"}}", null, false));
            if (!s.contains("machine")) { // qmpd models none of the machine's own properties (docs/compat.md)
                cases.add(
                        new Case("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"" + s + "\"}}", null, false));
            }
            cases.add(new Case(
                    "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/machine\", \"property\": \"" + s + "\"}}",
                    null,
                    false));
            cases.add(new Case(
                    "{\"execute\": \"ringbuf-write\", \"arguments\": {\"device\": \"" + s + "\", \"data\": \"x\"}}",
                    null,
                    false));
            cases.add(new Case(
                    "{\"execute\": \"chardev-send-break\", \"arguments\": {\"id\": \"" + s + "\"}}", null, false));
            cases.add(new Case(
                    "{\"execute\": \"chardev-change\", \"arguments\": {\"id\": \"" + s + "\", \"backend\": "
                            + "{\"type\": \"null\", \"data\": {}}}}",
                    null,
                    false));
            cases.add(new Case(
                    "{\"execute\": \"yank\", \"arguments\": {\"instances\": [{\"type\": \"chardev\", \"id\": \"" + s
                            + "\"}]}}",
                    null,
                    false));
        }
        // HMP's chardev-add takes the command line's syntax: a client socket, whose peer is missing
        cases.add(new Case(
                "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": "
                        + "\"chardev-add socket,id=hx,path=DIR/missing.sock\"}}",
                null,
                true));
        cases.add(new Case(
                "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": "
                        + "\"chardev-add socket,id=hx,path=DIR/missing.sock,wait=off\"}}",
                null,
                true));
        for (String line : new String[] {"", " ", "\\t"}) {
            cases.add(new Case(
                    "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"" + line + "\"}}",
                    null,
                    false));
        }
    }
}
