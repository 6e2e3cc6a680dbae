package io.qmpd.client;

import java.util.Objects;

/**
 * The server's version as the greeting reports it: {@code version.qemu.major/minor/micro} and
 * {@code version.package} (for example {@code 7.2.0} and {@code "Debian 1:7.2+dfsg-7"}).
 */
public record VersionInfo(int major, int minor, int micro, String pkg) {

    public VersionInfo {
        Objects.requireNonNull(pkg, "pkg");
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + micro + (pkg.isEmpty() ? "" : " (" + pkg + ")");
    }
}
