package io.qmpd.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One event as the server sent it: its name, its {@code data} (an empty object when the event has
 * none), its timestamp and the whole message.
 */
public record QmpEvent(String name, JsonNode data, long seconds, long microseconds, ObjectNode message) {

    public QmpEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(message, "message");
    }
}
