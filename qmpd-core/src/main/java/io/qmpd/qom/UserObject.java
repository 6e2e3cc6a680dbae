package io.qmpd.qom;

import io.qmpd.monitor.Monitor;
import java.util.Objects;

/**
 * One child of {@code /objects}: its name (the QOM id), its QOM type ({@code monitor-qmp},
 * {@code monitor-hmp}, {@code secret}) and, for a monitor, the monitor; for a secret, its value.
 *
 * @param monitor the monitor, or null for an object that is not one
 * @param secret  the value of a {@code secret} ({@link Secrets}), or null for an object that is not one
 */
public record UserObject(String name, String qomType, Monitor monitor, byte[] secret) {

    public UserObject {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(qomType, "qomType");
    }

    /** A monitor object. */
    public static UserObject monitor(String name, String qomType, Monitor monitor) {
        return new UserObject(name, qomType, Objects.requireNonNull(monitor, "monitor"), null);
    }

    /** A secret holding {@code value}. */
    public static UserObject secret(String name, byte[] value) {
        return new UserObject(name, "secret", null, Objects.requireNonNull(value, "value"));
    }
}
