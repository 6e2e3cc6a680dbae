package io.qmpd.event;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** QEMU's {@code ShutdownCause}: the {@code reason} of {@code SHUTDOWN} and {@code RESET} events. */
public enum ShutdownCause {
    NONE("none"),
    HOST_ERROR("host-error"),
    HOST_QMP_QUIT("host-qmp-quit"),
    HOST_QMP_SYSTEM_RESET("host-qmp-system-reset"),
    HOST_SIGNAL("host-signal"),
    HOST_UI("host-ui"),
    GUEST_SHUTDOWN("guest-shutdown"),
    GUEST_RESET("guest-reset"),
    GUEST_PANIC("guest-panic"),
    SUBSYSTEM_RESET("subsystem-reset"),
    SNAPSHOT_LOAD("snapshot-load");

    private final String qapiName;

    ShutdownCause(String qapiName) {
        this.qapiName = qapiName;
    }

    @JsonValue
    public String qapiName() {
        return qapiName;
    }

    /** QEMU's rule: the guest asked for it (guest-shutdown, guest-reset, guest-panic). */
    public boolean byGuest() {
        return this == GUEST_SHUTDOWN || this == GUEST_RESET || this == GUEST_PANIC;
    }

    /** The {@code {"guest": .., "reason": ..}} data of SHUTDOWN and RESET. */
    public ObjectNode eventData() {
        return JsonNodeFactory.instance.objectNode().put("guest", byGuest()).put("reason", qapiName);
    }
}
