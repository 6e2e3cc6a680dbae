package io.qmpd.daemon;

import io.qmpd.chardev.SocketAddress;
import java.util.Objects;

/**
 * A socket chardev to create at start-up, from {@code -chardev socket,...} or a legacy
 * {@code -qmp}/{@code -monitor} device.
 *
 * @param option the option as written ({@code -chardev} + argument), for error messages
 */
public record ChardevSpec(String id, SocketAddress address, boolean server, boolean waitForClient, boolean nodelay,
                          String option) {

    public ChardevSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(option, "option");
    }
}
