package io.qmpd.daemon;

import io.qmpd.machine.ShutdownCause;
import io.qmpd.server.QmpServer;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * SIGTERM, SIGINT and SIGHUP end the run as QEMU's {@code qemu_system_killed} does: one line on
 * stderr, {@code SHUTDOWN} ({@code host-signal}) to the negotiated QMP monitors, then the normal
 * teardown. A second signal while that runs ends the process at once (status 1).
 */
final class Signals {

    static final String[] NAMES = {"TERM", "INT", "HUP"};

    private Signals() {
    }

    static void install(QmpServer server, PrintStream err) {
        AtomicBoolean received = new AtomicBoolean();
        for (String name : NAMES) {
            Signal.handle(new Signal(name), sig -> {
                if (!received.compareAndSet(false, true)) {
                    Runtime.getRuntime().halt(1);
                }
                err.println("qmpd: terminating on signal " + sig.getNumber());
                server.requestShutdown(ShutdownCause.HOST_SIGNAL);
            });
        }
    }
}
