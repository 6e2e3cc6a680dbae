package io.qmpd.json;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the recorded QEMU sessions in {@code shared/conformance}, which sits beside the repository. */
final class SharedConformance {

    private SharedConformance() {}

    /** The conformance directory; the calling test is skipped when no copy of shared/ is reachable. */
    static Path directory() {
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("conformance");
            if (Files.isDirectory(candidate.resolve("cases"))) {
                return candidate;
            }
        }
        assumeTrue(false, "shared/conformance not found above " + Path.of("").toAbsolutePath());
        throw new AssertionError("unreachable");
    }
}
