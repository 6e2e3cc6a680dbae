package io.qmpd.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A chardev to create at start-up, from {@code -chardev} or a legacy {@code -qmp}/{@code -monitor}
 * device: its id and the QAPI {@code ChardevBackend} that {@code chardev-add} would take, so the
 * daemon builds it with the same factory as QMP.
 *
 * @param waitingOn for a listening socket with {@code wait=on}, QEMU's address text
 *                  ({@code unix:/path}, {@code tcp:host:port}) of its "waiting for connection" line; else null
 * @param option    the option as written ({@code -chardev} + argument), for error messages
 */
public record ChardevSpec(String id, ObjectNode backend, String waitingOn, String option) {

    public ChardevSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(option, "option");
    }
}
