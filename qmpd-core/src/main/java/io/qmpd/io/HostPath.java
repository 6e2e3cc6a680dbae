package io.qmpd.io;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A path a client gave, as the C library takes it: the empty path names no file (open(2) fails
 * with ENOENT), where {@link Path#of} would make it the working directory.
 */
public final class HostPath {

    private HostPath() {}

    public static Path of(String path) throws NoSuchFileException {
        if (path.isEmpty()) {
            throw new NoSuchFileException(path);
        }
        return Path.of(path);
    }
}
