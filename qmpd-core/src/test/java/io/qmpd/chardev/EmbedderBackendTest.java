package io.qmpd.chardev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.qapi.opts.QemuOpts;
import io.qmpd.server.QmpServer;
import io.qmpd.testing.NothingLeaks;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A chardev backend an embedding program adds: one class plus one builder call. */
@ExtendWith(NothingLeaks.class)
class EmbedderBackendTest {

    /** {@code serial} (declared by the schema, not served by qmpd): an in-memory chardev that remembers its device. */
    private static final class FakeSerial implements ChardevBackend {
        final List<String> devices = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "serial";
        }

        @Override
        public void parseOptions(QemuOpts opts, ObjectNode data) {
            data.put("device", opts.get("path").orElseThrow(() -> new IllegalArgumentException("no path")));
        }

        @Override
        public Chardev create(String id, JsonNode data, ChardevContext context) {
            devices.add(data.path("device").asText());
            return new TestChardev(id, context, true);
        }
    }

    private static ObjectNode request(String command, ObjectNode arguments) {
        ObjectNode r = JsonNodeFactory.instance.objectNode().put("execute", command);
        if (arguments != null) {
            r.set("arguments", arguments);
        }
        return r;
    }

    @Test
    void an_added_backend_is_served_by_chardev_add_listed_and_read_from_hmp_options() {
        FakeSerial serial = new FakeSerial();
        try (QmpServer server =
                QmpServer.builder().chardevBackend(serial).build().start()) {
            ObjectNode add = JsonNodeFactory.instance.objectNode().put("id", "s0");
            add.putObject("backend").put("type", "serial").putObject("data").put("device", "/dev/ttyS0");
            assertThat(server.execute(request("chardev-add", add)).get("return").toString())
                    .isEqualTo("{}");
            JsonNode hmp = server.execute(request(
                    "human-monitor-command",
                    JsonNodeFactory.instance
                            .objectNode()
                            .put("command-line", "chardev-add serial,id=s1,path=/dev/ttyS1")));
            assertThat(hmp.path("return").asText()).isEmpty();
            assertThat(serial.devices).containsExactly("/dev/ttyS0", "/dev/ttyS1");
            assertThat(server.execute(request("query-chardev-backends", null))
                            .get("return")
                            .toString())
                    .endsWith("{\"name\":\"stdio\"},{\"name\":\"serial\"}]");
        }
    }

    @Test
    void a_second_backend_of_a_name_is_a_start_up_error() {
        assertThatThrownBy(() -> QmpServer.builder()
                        .chardevBackend(new FakeSerial())
                        .chardevBackend(new FakeSerial())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serial");
    }
}
