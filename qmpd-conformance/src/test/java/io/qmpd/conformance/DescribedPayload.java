package io.qmpd.conformance;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rebuilds the huge sends the recorder described instead of storing: {@code <67108880 x a>},
 * {@code <1048586 x "1,">} and {@code [[[...(2000 '[' then 2000 ']')...}. In a described send the
 * recorder also wrote the final newline as the two characters {@code \n}; it becomes a newline.
 */
final class DescribedPayload {

    private static final Pattern REPEAT = Pattern.compile("<(\\d+) x (?:\"([^\"]*)\"|([^>\"]+))>");
    private static final Pattern BRACKETS =
            Pattern.compile("\\[\\[\\[\\.\\.\\.\\((\\d+) '\\[' then (\\d+) '\\]'\\)\\.\\.\\.");

    private DescribedPayload() {}

    static String rebuild(String data) {
        boolean described = false;
        StringBuilder out = new StringBuilder();
        Matcher m = BRACKETS.matcher(data);
        if (m.find()) {
            described = true;
            out.append(data, 0, m.start())
                    .append("[".repeat(Integer.parseInt(m.group(1))))
                    .append("]".repeat(Integer.parseInt(m.group(2))));
            data = out.append(data.substring(m.end())).toString();
            out.setLength(0);
        }
        m = REPEAT.matcher(data);
        int last = 0;
        while (m.find()) {
            described = true;
            String unit = m.group(2) != null ? m.group(2) : m.group(3);
            out.append(data, last, m.start()).append(unit.repeat(Integer.parseInt(m.group(1))));
            last = m.end();
        }
        out.append(data.substring(last));
        String rebuilt = out.toString();
        if (described && rebuilt.endsWith("\\n")) {
            rebuilt = rebuilt.substring(0, rebuilt.length() - 2) + "\n";
        }
        return rebuilt;
    }
}
