package io.qmpd.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules for every module's Java sources that the formatter does not check: types are imported, not
 * written fully qualified in code (a name that clashes with another type the file uses is the one
 * exception).
 */
class SourceRulesTest {

    private static final Pattern QUALIFIED =
            Pattern.compile("\\b((?:java|javax|com|org|io)(?:\\.[a-z0-9_]+)+)\\.([A-Z][A-Za-z0-9_]*)");
    private static final Pattern IMPORT = Pattern.compile("^import ([\\w.]+\\.(\\w+));", Pattern.MULTILINE);
    private static final Pattern DECLARED = Pattern.compile("\\b(?:class|interface|enum|record)\\s+(\\w+)");

    @Test
    void noTypeIsWrittenFullyQualifiedInCode() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(SourceRulesTest::isSource).toList()) {
                found.addAll(inlineNames(file, root));
            }
        }
        assertThat(found).as("fully qualified names in code (import them)").isEmpty();
    }

    private static boolean isSource(Path p) {
        String s = p.toString();
        return s.endsWith(".java") && s.contains("/src/") && !s.contains("/target/") && !s.contains("/.git/");
    }

    private static List<String> inlineNames(Path file, Path root) throws IOException {
        String text = Files.readString(file);
        Map<String, String> imported = new HashMap<>();
        IMPORT.matcher(text).results().forEach(m -> imported.put(m.group(2), m.group(1)));
        Set<String> declared = new HashSet<>();
        DECLARED.matcher(text).results().forEach(m -> declared.add(m.group(1)));
        try (Stream<Path> siblings = Files.list(file.getParent())) { // the package's own types
            siblings.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".java"))
                    .forEach(n -> declared.add(n.substring(0, n.length() - ".java".length())));
        }
        List<String> found = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        boolean inComment = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (inComment || line.startsWith("/*") || line.startsWith("*")) {
                inComment = !line.contains("*/") && (inComment || line.startsWith("/*"));
                continue;
            }
            if (line.startsWith("import ") || line.startsWith("package ") || line.startsWith("//")) {
                continue;
            }
            String code = line.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("//.*", "");
            Matcher m = QUALIFIED.matcher(code);
            while (m.find()) {
                String simple = m.group(2);
                String taken = imported.get(simple);
                boolean clashes = declared.contains(simple) || (taken != null && !taken.equals(m.group()));
                if (!clashes) {
                    found.add(root.relativize(file) + ":" + (i + 1) + ": " + m.group());
                }
            }
        }
        return found;
    }
}
