package io.qmpd.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.client.Greeting;
import io.qmpd.client.QmpEvent;
import io.qmpd.client.QmpProtocolException;
import io.qmpd.json.VersionInfo;
import java.util.ArrayList;
import java.util.List;

/** Reads the server's messages into the client's types; throws {@link QmpProtocolException} for anything else. */
final class ServerMessages {

    private ServerMessages() {}

    /** {@code {"QMP": {"version": {"qemu": {"major", "minor", "micro"}, "package"}, "capabilities": [...]}}}. */
    static Greeting greeting(JsonNode message) {
        JsonNode qmp = message.get("QMP");
        if (qmp == null || !qmp.isObject()) {
            throw protocol("expected the greeting {\"QMP\": ...}, got " + abbreviate(message));
        }
        JsonNode version = qmp.path("version");
        JsonNode qemu = version.path("qemu");
        if (!qemu.path("major").isIntegralNumber()
                || !qemu.path("minor").isIntegralNumber()
                || !qemu.path("micro").isIntegralNumber()) {
            throw protocol("greeting without version.qemu.major/minor/micro: " + abbreviate(message));
        }
        List<String> capabilities = new ArrayList<>();
        JsonNode caps = qmp.path("capabilities");
        if (!caps.isArray()) {
            throw protocol("greeting without a capabilities array: " + abbreviate(message));
        }
        for (JsonNode cap : caps) {
            capabilities.add(cap.asText());
        }
        return new Greeting(
                new VersionInfo(
                        qemu.get("major").intValue(),
                        qemu.get("minor").intValue(),
                        qemu.get("micro").intValue(),
                        version.path("package").asText("")),
                capabilities);
    }

    static QmpEvent event(ObjectNode message) {
        JsonNode name = message.get("event");
        if (!name.isTextual()) {
            throw protocol("event name is not a string: " + abbreviate(message));
        }
        JsonNode data = message.has("data") ? message.get("data") : message.objectNode();
        JsonNode timestamp = message.path("timestamp");
        return new QmpEvent(
                name.textValue(),
                data,
                timestamp.path("seconds").asLong(-1),
                timestamp.path("microseconds").asLong(-1),
                message);
    }

    static QmpProtocolException protocol(String what) {
        return new QmpProtocolException("protocol error: " + what, null);
    }

    static String abbreviate(JsonNode value) {
        String text = value.toString();
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
