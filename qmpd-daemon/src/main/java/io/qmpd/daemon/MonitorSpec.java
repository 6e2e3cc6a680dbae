package io.qmpd.daemon;

import java.util.Objects;

/**
 * A monitor to create at start-up ({@code -mon}, {@code -qmp}, {@code -qmp-pretty}, {@code -monitor}).
 *
 * @param id      the monitor id, or null
 * @param control QMP ({@code mode=control}) rather than HMP ({@code mode=readline}, QEMU's default)
 * @param option  the option as written, for error messages
 */
public record MonitorSpec(String id, String chardev, boolean control, boolean pretty, String option) {

    public MonitorSpec {
        Objects.requireNonNull(chardev, "chardev");
        Objects.requireNonNull(option, "option");
    }
}
