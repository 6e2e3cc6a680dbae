package io.qmpd.monitor;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The version a server claims: QEMU's {@code VersionInfo} as {@code query-version} returns it and
 * the greeting carries it.
 *
 * @param major   QEMU major version
 * @param minor   QEMU minor version
 * @param micro   QEMU micro version
 * @param pkg     the {@code package} string
 */
public record VersionInfo(int major, int minor, int micro, String pkg) {

    /** The release qmpd targets: QEMU 11.0.0. */
    public static final VersionInfo DEFAULT = new VersionInfo(11, 0, 0, "qmpd 0.1.0");

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
}
