package io.qmpd.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingExampleTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void theExampleServesItsCommandAndEventToTheClient() throws Exception {
        assertThat(EmbeddingExample.run(dir.resolve("qmp.sock")))
                .isEqualTo(
                        "{\"reply\":{\"text\":\"Hello, Ada! Hello, Ada!\"},\"event\":\"GREETED\",\"data\":{\"name\":\"Ada\"},"
                                + "\"introspected\":true}");
    }

    @Test
    void theDocShowsTheTestedSourceAndSchemaWordForWord() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String doc = Files.readString(root.resolve("docs/embedding.md"));
        String source =
                Files.readString(root.resolve("qmpd-examples/src/test/java/io/qmpd/examples/EmbeddingExample.java"));
        String schema =
                Files.readString(root.resolve("qmpd-examples/src/test/resources/io/qmpd/examples/greeter.json"));
        assertThat(doc).contains("```java\n" + source + "```\n");
        assertThat(doc).contains("```\n" + schema + "```\n");
    }
}
