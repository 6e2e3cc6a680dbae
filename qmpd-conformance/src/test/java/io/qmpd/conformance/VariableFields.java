package io.qmpd.conformance;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The only differences the corpus allows (its README): the version triple and package string,
 * event timestamps, the pty path of {@code chardev_add_pty} and the TCP port the kernel chose in
 * {@code chardev_add_socket_tcp_server}. Works on ISO-8859-1 text (one char per byte), so it
 * never changes any other byte.
 */
final class VariableFields {

    private record Rule(Pattern pattern, String replacement) {}

    private static final List<Rule> RULES = List.of(
            // greeting and query-version: {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "..."}
            new Rule(
                    Pattern.compile("\"qemu\": \\{\"micro\": \\d+, \"minor\": \\d+, \"major\": \\d+\\}"),
                    "\"qemu\": {\"micro\": <micro>, \"minor\": <minor>, \"major\": <major>}"),
            new Rule(Pattern.compile("\"package\": \"(?:[^\"\\\\]|\\\\.)*\""), "\"package\": \"<package>\""),
            // HMP "info version" through human-monitor-command: "7.2.22Debian 1:7.2+dfsg-7+deb12u18+b3\r\n"
            new Rule(
                    Pattern.compile("\"return\": \"\\d+\\.\\d+\\.\\d+(?:[^\"\\\\]|\\\\[^r])*\\\\r\\\\n\""),
                    "\"return\": \"<version><package>\\\\r\\\\n\""),
            // HMP "info version" on the readline socket: the echoed line, then "7.2.22Debian
            // 1:7.2+dfsg-7+deb12u18+b3\r\n"
            new Rule(
                    Pattern.compile("(info version *\\x1b\\[K\r\n)\\d+\\.\\d+\\.\\d+[^\r\n]*\r\n"),
                    "$1<version><package>\r\n"),
            // HMP banner on a readline monitor
            new Rule(Pattern.compile("QEMU \\d+\\.\\d+\\.\\d+ monitor - "), "QEMU <version> monitor - "),
            new Rule(
                    Pattern.compile("\"timestamp\": \\{\"seconds\": \\d+, \"microseconds\": \\d+\\}"),
                    "\"timestamp\": {\"seconds\": <s>, \"microseconds\": <us>}"),
            new Rule(Pattern.compile("/dev/pts/\\d+"), "/dev/pts/<n>"),
            new Rule(Pattern.compile("(tcp:[^:,\"\\s]+):\\d+,server"), "$1:<port>,server"));

    private VariableFields() {}

    static String normalize(String latin1) {
        String s = latin1;
        for (Rule r : RULES) {
            s = r.pattern().matcher(s).replaceAll(r.replacement());
        }
        return s;
    }
}
