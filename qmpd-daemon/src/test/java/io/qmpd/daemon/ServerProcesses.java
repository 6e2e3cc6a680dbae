package io.qmpd.daemon;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starting qmpd's daemon as a child JVM and stopping a server process, for the runs that compare
 * qmpd with QEMU (qmpd-conformance and qmpd-differential).
 *
 * <p>qmpd-daemon's test-jar carries this class alone.
 */
public final class ServerProcesses {

    private ServerProcesses() {}

    /** {@code java} running {@link Main} from {@code classpath} as bin/qmpd runs the daemon jar; add the options. */
    public static List<String> qmpdCommand(String classpath) {
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Daemonizer.ADD_OPENS, // as the daemon jar's manifest does for bin/qmpd
                "-cp",
                classpath,
                Main.class.getName());
    }

    /** Ends {@code process} if it still runs: SIGTERM, then SIGKILL after a bounded wait. */
    public static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
