package io.qmpd.client;

import io.qmpd.json.VersionInfo;
import java.util.List;
import java.util.Objects;

/**
 * The server's first message, {@code {"QMP": {"version": ..., "capabilities": [...]}}}: its
 * version and the capabilities it offers (QEMU offers {@code "oob"} on monitors that allow it).
 */
public record Greeting(VersionInfo version, List<String> capabilities) {

    public Greeting {
        Objects.requireNonNull(version, "version");
        capabilities = List.copyOf(capabilities);
    }

    /** Whether the server offers {@code capability}. */
    public boolean offers(String capability) {
        return capabilities.contains(capability);
    }
}
