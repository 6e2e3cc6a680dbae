package io.qmpd.daemon;

import java.util.Objects;

/**
 * {@code -object monitor-qmp,id=..,chardev=..[,pretty=on][,close-action=delete]} or
 * {@code -object monitor-hmp,id=..,chardev=..[,readline=off]}: a monitor object created at
 * start-up (not dynamic, so {@code monitor-remove} refuses it; {@code object-del} removes it).
 *
 * @param option the option as written, for error messages
 */
public record MonitorObjectSpec(
        boolean control,
        String id,
        String chardev,
        boolean pretty,
        boolean readline,
        boolean deleteOnClose,
        String option) {

    public MonitorObjectSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(chardev, "chardev");
        Objects.requireNonNull(option, "option");
    }
}
