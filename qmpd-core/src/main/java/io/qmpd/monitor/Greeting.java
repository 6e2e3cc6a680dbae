package io.qmpd.monitor;

import io.qmpd.json.VersionInfo;
import java.util.Objects;

/**
 * What a QMP monitor's greeting says: the version, and whether the server offers {@code oob}
 * (a monitor then offers it only on a chardev that can be served from the I/O thread).
 *
 * @param version   the version the greeting carries
 * @param offersOob whether {@code oob} may be offered at all (a broker offers it only if its QEMU does)
 */
public record Greeting(VersionInfo version, boolean offersOob) {

    public Greeting {
        Objects.requireNonNull(version, "version");
    }
}
