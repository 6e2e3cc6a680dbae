package io.qmpd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmpd.chardev.TestChardev;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What a client learns about the server agrees with itself: {@code query-qmp-schema} (as served
 * over QMP, not the schema object) lists exactly the commands {@code query-commands} lists, which
 * are exactly the registered handlers; and every type name the introspection refers to is
 * described in it.
 */
class IntrospectionAgreementTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void schemaCommandsQueryCommandsAndHandlersAreTheSameSetAndTheSchemaIsClosed() throws Exception {
        try (TestServer t = new TestServer()) {
            TestChardev c = t.negotiated("c", false);
            c.send("{\"execute\": \"query-qmp-schema\"}\n");
            JsonNode schema = JSON.readTree(c.next()).get("return");
            c.send("{\"execute\": \"query-commands\"}\n");
            JsonNode commands = JSON.readTree(c.next()).get("return");

            Set<String> inSchema = new TreeSet<>();
            Set<String> names = new HashSet<>();
            for (JsonNode entity : schema) {
                names.add(entity.get("name").asText());
                if (entity.get("meta-type").asText().equals("command")) {
                    inSchema.add(entity.get("name").asText());
                }
            }
            Set<String> listed = new TreeSet<>();
            commands.forEach(cmd -> listed.add(cmd.get("name").asText()));

            assertThat(listed).as("query-commands vs query-qmp-schema").isEqualTo(inSchema);
            assertThat(new TreeSet<>(t.server.commands().names()))
                    .as("registered handlers")
                    .isEqualTo(inSchema);

            Set<String> dangling = new TreeSet<>();
            for (JsonNode entity : schema) {
                for (String ref : new String[] {"arg-type", "ret-type", "element-type"}) {
                    if (entity.has(ref) && !names.contains(entity.get(ref).asText())) {
                        dangling.add(entity.get("name").asText() + "." + ref + " -> "
                                + entity.get(ref).asText());
                    }
                }
                entity.path("members").forEach(m -> {
                    if (m.has("type") && !names.contains(m.get("type").asText())) {
                        dangling.add(entity.get("name").asText() + " member "
                                + m.path("name").asText());
                    }
                });
                entity.path("variants").forEach(v -> {
                    if (!names.contains(v.get("type").asText())) {
                        dangling.add(entity.get("name").asText() + " variant "
                                + v.get("case").asText());
                    }
                });
            }
            assertThat(dangling).as("type names referred to but not described").isEmpty();
        }
    }
}
