package io.qmpd.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of qmpd-core form layers, lowest first; a package may use only the layers below it
 * (and the json and qapi modules). This keeps the request path one-way: chardevs know nothing of
 * monitors, monitors nothing of commands, and only the server wires everything together.
 */
class LayeringTest {

    private static final List<String> LAYERS =
            List.of("io", "chardev", "monitor", "event", "qom", "command", "hmp", "server");
    private static final Set<String> BELOW_CORE = Set.of("json", "qapi");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.qmpd\\.([a-z]+)\\.");
    private static final Path SOURCES = Path.of("src/main/java/io/qmpd");

    @Test
    void everyPackageUsesOnlyTheLayersBelowIt() throws IOException {
        List<String> violations = new ArrayList<>();
        for (String layer : LAYERS) {
            Set<String> allowed = Set.copyOf(LAYERS.subList(0, LAYERS.indexOf(layer) + 1));
            try (Stream<Path> files = Files.list(SOURCES.resolve(layer))) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = REFERENCE.matcher(Files.readString(file));
                    while (m.find()) {
                        String used = m.group(1);
                        if (!allowed.contains(used) && !BELOW_CORE.contains(used)) {
                            violations.add(file.getFileName() + " (" + layer + ") uses " + used);
                        }
                    }
                }
            }
        }
        assertThat(violations).as("references to higher layers").isEmpty();
    }

    @Test
    void everyLayerIsAPackageWithItsOwnDescription() {
        try (Stream<Path> dirs = listDirectories()) {
            assertThat(dirs.map(d -> d.getFileName().toString()).toList())
                    .as("a new package gets a place in LAYERS")
                    .containsExactlyInAnyOrderElementsOf(LAYERS);
        }
        for (String layer : LAYERS) {
            assertThat(SOURCES.resolve(layer).resolve("package-info.java")).exists();
        }
    }

    private static Stream<Path> listDirectories() {
        try {
            return Files.list(SOURCES).filter(Files::isDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
