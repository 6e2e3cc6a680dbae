package io.qmpd.daemon;

import io.qmpd.event.ShutdownCause;
import io.qmpd.server.QmpServer;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM, SIGINT and SIGHUP end the run as QEMU's {@code qemu_system_killed} does: one line on
 * stderr, {@code SHUTDOWN} ({@code host-signal}) to the negotiated QMP monitors, then the normal
 * teardown. A second signal while that runs ends the process at once (status 1). SIGUSR1, SIGALRM
 * and SIGQUIT are ignored, as QEMU blocks them.
 */
final class Signals {

    static final String[] NAMES = {"TERM", "INT", "HUP"};

    private Signals() {}

    /**
     * Signals QEMU blocks, and so survives: SIGUSR1 and SIGALRM would end a JVM, and SIGQUIT
     * would have it print a thread dump to stdout, which may be a {@code -qmp stdio} stream.
     */
    static final String[] IGNORED = {"USR1", "ALRM", "QUIT"};

    static void install(QmpServer server, PrintStream err) {
        for (String name : IGNORED) {
            try {
                Signal.handle(new Signal(name), SignalHandler.SIG_IGN);
            } catch (IllegalArgumentException e) {
                // SIGQUIT is the JVM's own unless it runs with -Xrs, as bin/qmpd runs it
                LoggerFactory.getLogger(Signals.class).info("SIG{} is not ignored: {}", name, e.getMessage());
            }
        }
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
