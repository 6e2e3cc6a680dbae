package io.qmpd.qom;

import io.qmpd.monitor.Monitor;
import java.util.Objects;

/**
 * One child of {@code /objects}: its name (the QOM id), its QOM type ({@code monitor-qmp},
 * {@code monitor-hmp}, {@code secret}) and, for a monitor, the monitor.
 *
 * @param monitor the monitor, or null for an object that is not one
 */
public record UserObject(String name, String qomType, Monitor monitor) {

    public UserObject {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(qomType, "qomType");
    }
}
