package io.qmpd.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.qapi.QmpError;

/**
 * Builds replies in QEMU's shape. Members are inserted in QEMU's order ({@code return}/{@code error}
 * first, then {@code id}; {@code class} before {@code desc}), so the writer's QDict ordering gives
 * QEMU's bytes. Stateless.
 */
public final class QmpResponse {

    private QmpResponse() {}

    /** {@code {"return": value[, "id": id]}}; a null id means the request had none. */
    public static ObjectNode success(JsonNode value, JsonNode id) {
        ObjectNode rsp = JsonNodeFactory.instance.objectNode();
        rsp.set("return", value);
        if (id != null) {
            rsp.set("id", id);
        }
        return rsp;
    }

    /** {@code {"error": {"class", "desc"}[, "id": id]}}. */
    public static ObjectNode error(QmpError error, JsonNode id) {
        ObjectNode err = JsonNodeFactory.instance.objectNode();
        err.put("class", error.errorClass().name());
        err.put("desc", error.desc());
        ObjectNode rsp = JsonNodeFactory.instance.objectNode();
        rsp.set("error", err);
        if (id != null) {
            rsp.set("id", id);
        }
        return rsp;
    }
}
