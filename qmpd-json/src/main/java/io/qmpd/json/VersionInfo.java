package io.qmpd.json;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * QEMU's {@code VersionInfo} as QMP carries it, in the greeting and in {@code query-version}'s
 * reply: {@code {"qemu": {"major", "minor", "micro"}, "package"}}. The server states its own with
 * it, the client reads the server's into it.
 *
 * @param major QEMU major version
 * @param minor QEMU minor version
 * @param micro QEMU micro version
 * @param pkg   the {@code package} string ({@code "Debian 1:7.2+dfsg-7"}, say)
 */
public record VersionInfo(int major, int minor, int micro, String pkg) {

    public VersionInfo {
        Objects.requireNonNull(pkg, "pkg");
        if (major < 0 || minor < 0 || micro < 0) {
            throw new IllegalArgumentException("version: " + major + "." + minor + "." + micro + " (expected: >= 0)");
        }
    }

    /** The same triple with another {@code package} string. */
    public VersionInfo withPackage(String newPkg) {
        return new VersionInfo(major, minor, micro, newPkg);
    }

    /** {@code {"qemu": {"major", "minor", "micro"}, "package"}}, members inserted in QAPI declaration order. */
    @JsonIgnore
    public ObjectNode toJson() {
        ObjectNode triple = JsonNodeFactory.instance.objectNode();
        triple.put("major", major);
        triple.put("minor", minor);
        triple.put("micro", micro);
        ObjectNode info = JsonNodeFactory.instance.objectNode();
        info.set("qemu", triple);
        info.put("package", pkg);
        return info;
    }

    /** {@code 7.2.0 (Debian 1:7.2+dfsg-7)}, or {@code 7.2.0} without a package string. */
    @Override
    public String toString() {
        return major + "." + minor + "." + micro + (pkg.isEmpty() ? "" : " (" + pkg + ")");
    }
}
