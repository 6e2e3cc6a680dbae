package io.qmpd.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.chardev.ChardevBackends;
import io.qmpd.chardev.ChardevOpts;
import io.qmpd.qapi.opts.QemuOpts;
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

    /**
     * The spec for {@code opts} (already checked against {@link ChardevOpts#LIST}).
     *
     * @throws IllegalArgumentException QEMU's text for options that do not make a backend
     */
    static ChardevSpec of(String id, QemuOpts opts, String option) {
        ChardevOpts chardev = ChardevOpts.of(id, opts, ChardevBackends.BUILTIN);
        return new ChardevSpec(id, chardev.backend(), chardev.waitingOn(), option);
    }
}
