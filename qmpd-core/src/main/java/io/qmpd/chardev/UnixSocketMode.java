package io.qmpd.chardev;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * The permission bits of a unix socket file qmpd creates when it listens. The default is
 * {@link #PRIVATE} ({@code 0600}: only the user qmpd runs as may connect); QEMU instead leaves the
 * bits to the umask. Overridden with qmpd's own socket chardev option {@code mode=} (octal).
 *
 * @param bits the low nine permission bits, e.g. {@code 0660}
 */
public record UnixSocketMode(int bits) {

    /** Read and write for the owner only. */
    public static final UnixSocketMode PRIVATE = new UnixSocketMode(0600);

    private static final PosixFilePermission[] ORDER = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    public UnixSocketMode {
        if (bits < 0 || bits > 0777) {
            throw new IllegalArgumentException("mode must be between 0 and 0777");
        }
    }

    /**
     * Parses the octal form of the {@code mode=} option ({@code 600}, {@code 0660}).
     *
     * @throws IllegalArgumentException {@code mode must be an octal number between 0 and 0777}
     */
    public static UnixSocketMode parse(String octal) {
        if (octal == null || !octal.matches("[0-7]{1,4}")) {
            throw new IllegalArgumentException("mode must be an octal number between 0 and 0777");
        }
        int bits = Integer.parseInt(octal, 8);
        if (bits > 0777) {
            throw new IllegalArgumentException("mode must be an octal number between 0 and 0777");
        }
        return new UnixSocketMode(bits);
    }

    public Set<PosixFilePermission> permissions() {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < ORDER.length; i++) {
            if ((bits & (1 << i)) != 0) {
                set.add(ORDER[i]);
            }
        }
        return set;
    }

    @Override
    public String toString() {
        return String.format("%04o", bits);
    }
}
