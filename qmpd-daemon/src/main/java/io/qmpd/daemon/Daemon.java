package io.qmpd.daemon;

import io.qmpd.chardev.SocketAddress;
import io.qmpd.chardev.SocketChardev;
import io.qmpd.qapi.QmpException;
import io.qmpd.server.QmpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One run of the daemon: parse the options, build the server, create the chardevs and then the
 * monitors in QEMU's order, write the pidfile, and wait for {@code quit}. Prints nothing on success;
 * a failure is one line on stderr and exit status 1, with everything created so far closed again
 * (socket files unlinked).
 */
final class Daemon {

    private final PrintStream err;

    Daemon(PrintStream err) {
        this.err = err;
    }

    /** Returns the exit status. */
    int run(String[] args) {
        DaemonOptions options;
        try {
            options = CommandLine.parse(args);
        } catch (OptionException e) {
            err.println(e.getMessage());
            return 1;
        }
        options.warnings().forEach(w -> err.println("qmpd: " + w));
        QmpServer server = QmpServer.builder()
                .startPaused(options.startPaused())
                .name(options.name().orElse(null))
                .build()
                .start();
        try {
            createChardevs(server, options);
            createMonitors(server, options);
            writePidfile(options.pidfile());
        } catch (OptionException e) {
            err.println(e.getMessage());
            server.close();
            return 1;
        }
        Thread hook = new Thread(() -> {
            server.close();
            removePidfile(options.pidfile());
        }, "qmpd-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        server.closeFuture().join();
        removePidfile(options.pidfile());
        return 0;
    }

    private void createChardevs(QmpServer server, DaemonOptions options) throws OptionException {
        for (ChardevSpec spec : options.chardevs()) {
            try {
                if (spec.waitForClient()) {
                    err.println("qmpd: " + spec.option() + ": info: QEMU waiting for connection on: disconnected:"
                            + spec.address().qemuForm() + ",server=on");
                }
                server.addChardev(SocketChardev.listen(spec.id(), server.loop(), spec.address(), spec.nodelay(),
                        spec.waitForClient()));
            } catch (IOException e) {
                throw failure(spec.option(), bindError(spec.address(), e));
            } catch (QmpException e) {
                throw failure(spec.option(), e.error().desc());
            }
        }
    }

    private static String bindError(SocketAddress address, IOException e) {
        String where = address instanceof SocketAddress.Unix unix ? " to " + unix.path() : "";
        return "Failed to bind socket" + where + ": " + e.getMessage();
    }

    private void createMonitors(QmpServer server, DaemonOptions options) throws OptionException {
        for (MonitorSpec spec : options.monitors()) {
            try {
                if (spec.control()) {
                    server.addQmpMonitor(spec.id(), spec.chardev(), spec.pretty(), false);
                } else {
                    server.addHmpMonitor(spec.id(), spec.chardev(), false);
                }
            } catch (QmpException e) {
                throw failure(spec.option(), e.error().desc());
            }
        }
    }

    private static OptionException failure(String written, String reason) {
        int space = written.indexOf(' ');
        return space < 0 ? new OptionException(written, null, reason)
                : new OptionException(written.substring(0, space), written.substring(space + 1), reason);
    }

    private static void writePidfile(Optional<Path> pidfile) throws OptionException {
        if (pidfile.isPresent()) {
            try {
                Files.writeString(pidfile.get(), ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new OptionException("-pidfile", pidfile.get().toString(),
                        "cannot create PID file: " + e.getMessage());
            }
        }
    }

    private void removePidfile(Optional<Path> pidfile) {
        try {
            if (pidfile.isPresent()) {
                Files.deleteIfExists(pidfile.get());
            }
        } catch (IOException e) {
            err.println("qmpd: cannot remove " + pidfile.get() + ": " + e.getMessage());
        }
    }
}
