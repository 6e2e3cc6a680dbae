package io.qmpd.qapi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.qapi.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/commands.md must match the schema; {@code -Dqmpd.regenerateDocs=true} rewrites it. */
class CommandDocsTest {

    private static Path docsFile() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("qmpd-qapi")) && Files.exists(p.resolve("pom.xml"))) {
                return p.resolve("docs/commands.md");
            }
        }
        throw new AssertionError(
                "repository root not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void committedCommandListMatchesTheSchema() throws IOException {
        SchemaModel model = SchemaLoader.load(getClass().getClassLoader(), List.of(Schema.SIMULATED_MACHINE_RESOURCE));
        String expected = new CommandDocsGenerator(model).generate();
        Path file = docsFile();
        if (Boolean.getBoolean("qmpd.regenerateDocs")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(file))
                .as(
                        "%s is missing: run mvn -pl qmpd-qapi -am test -Dtest=CommandDocsTest -Dsurefire.failIfNoSpecifiedTests=false "
                                + "-Dqmpd.regenerateDocs=true",
                        file)
                .isTrue();
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .as(
                        "%s is stale: run mvn -pl qmpd-qapi -am test -Dtest=CommandDocsTest -Dsurefire.failIfNoSpecifiedTests=false -Dqmpd.regenerateDocs=true",
                        file)
                .isEqualTo(expected);
        for (String command : model.commands().keySet()) {
            assertThat(expected).contains("\n### " + command + "\n");
        }
    }
}
