package io.qmpd.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmpd.broker.BrokerBackend;
import io.qmpd.chardev.ChardevAddFailure;
import io.qmpd.chardev.ChardevOpts;
import io.qmpd.io.DescriptorReader;
import io.qmpd.io.Errno;
import io.qmpd.machine.MachineBackend;
import io.qmpd.machine.SimulatedMachine;
import io.qmpd.qapi.QmpException;
import io.qmpd.server.QmpServer;
import io.qmpd.server.QmpServerBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One run of the daemon: parse the options, lock and write the pidfile, build the server, create
 * the chardevs (through {@code chardev-add}, as QMP does) and then the monitors in QEMU's order, and
 * wait for {@code quit}, a signal or a guest shutdown. A failure is one line on stderr and exit
 * status 1, with everything created so far closed again (socket files unlinked); so is an error
 * that ends one of the server's threads ({@link QmpServer#fatalError()}).
 */
final class Daemon {

    private final PrintStream out;
    private final PrintStream err;

    Daemon(PrintStream out, PrintStream err) {
        this.out = out;
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
        switch (options.action()) {
            case VERSION -> {
                out.print(HelpText.VERSION);
                return 0;
            }
            case HELP -> {
                out.print(HelpText.HELP);
                return 0;
            }
            default -> {}
        }
        options.warnings().forEach(w -> err.println("qmpd: " + w));
        options.logFile().ifPresent(f -> {
            // before the first logger exists: slf4j-simple reads its settings once
            System.setProperty("org.slf4j.simpleLogger.logFile", f.toString());
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        });
        if (options.daemonize() && !Daemonizer.isChild()) {
            return Daemonizer.run(args, err);
        }
        return serve(options);
    }

    private int serve(DaemonOptions options) {
        // Binding libc's recvmsg and send costs tens of milliseconds: beside start-up, not on the first client.
        Thread prepare = new Thread(DescriptorReader::prepare, "qmpd-prepare");
        prepare.setDaemon(true);
        prepare.start();
        Optional<String> noFds = QmpServer.descriptorPassingUnavailable();
        if (noFds.isPresent()) {
            // getfd, add-fd and fd chardevs would answer as if no descriptor had been sent
            err.println("qmpd: descriptor passing is unavailable (run qmpd with java -jar, or add "
                    + Daemonizer.ADD_OPENS + "): " + noFds.get());
            return 1;
        }
        // Locked first, as QEMU does: a second process on the same pidfile creates nothing.
        Optional<Pidfile> pidfile;
        try {
            pidfile = options.pidfile().isPresent()
                    ? Optional.of(Pidfile.create(options.pidfile().get()))
                    : Optional.empty();
        } catch (OptionException e) {
            err.println(e.getMessage());
            return 1;
        }
        List<ChardevSpec> chardevs = new ArrayList<>(options.chardevs());
        List<MonitorSpec> monitors = new ArrayList<>(options.monitors());
        FirstRun firstRun = null;
        boolean interactive = System.console() != null && !Daemonizer.isChild();
        if (options.firstRun()) {
            try {
                firstRun = FirstRun.prepare(
                        System.getenv("XDG_RUNTIME_DIR"),
                        ProcessHandle.current().pid());
            } catch (IOException e) {
                err.println("qmpd: cannot create a directory for the QMP socket: " + e.getMessage());
                removePidfile(pidfile);
                return 1;
            }
            String arg = firstRun.chardevArgument();
            chardevs.add(ChardevSpec.of("qmp", CommandLine.parseChardev(arg), "-chardev " + arg));
            monitors.add(new MonitorSpec("qmp", "qmp", true, false, "-mon qmp,mode=control"));
            if (interactive) {
                chardevs.add(ChardevSpec.of("hmp", CommandLine.parseChardev("stdio,id=hmp"), "-chardev stdio"));
                monitors.add(new MonitorSpec("hmp", "hmp", false, false, "-mon hmp"));
            }
        }
        QmpServerBuilder builder;
        if (options.upstream().isPresent()) {
            UpstreamSpec upstream = options.upstream().get();
            try {
                builder = BrokerBackend.connect(upstream.client()).configure(QmpServer.builder());
            } catch (IOException e) {
                err.println("qmpd: -upstream " + upstream.written() + ": " + oneLine(e.getMessage()));
                end(null, firstRun, pidfile);
                return 1;
            }
        } else {
            builder = QmpServer.builder()
                    .backend(MachineBackend.simulated(new SimulatedMachine.Config(
                            options.startPaused(),
                            options.name().orElse(null),
                            options.uuid(),
                            options.vcpus(),
                            options.noShutdown(),
                            SimulatedMachine.Config.DEFAULT_POWERDOWN_DELAY)));
        }
        QmpServer server =
                builder.ioPollMaxNanos(options.ioPollMaxNanos()).build().start();
        TerminalMode terminal = null;
        try {
            createChardevs(server, chardevs);
            if (interactive
                    && chardevs.stream()
                            .anyMatch(c -> c.backend().path("type").asText().equals("stdio"))) {
                terminal = TerminalMode.monitorOnStdio();
            }
            if (firstRun != null) {
                out.print(firstRun.banner(interactive));
                out.flush();
            }
            keepIds(server, monitors, options.monitorObjects());
            createMonitors(server, monitors);
            createObjects(server, options.monitorObjects());
        } catch (OptionException e) {
            err.println(e.getMessage());
            server.close();
            end(terminal, firstRun, pidfile);
            return 1;
        }
        Signals.install(server, err);
        FirstRun made = firstRun;
        TerminalMode term = terminal;
        Optional<Pidfile> locked = pidfile;
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            end(term, made, locked);
                        },
                        "qmpd-shutdown"));
        if (Daemonizer.isChild()) {
            Daemonizer.ready();
        }
        server.closeFuture().join();
        end(terminal, firstRun, pidfile);
        if (server.fatalError().isPresent()) {
            err.println(
                    "qmpd: stopped by an internal error: " + server.fatalError().get());
            return 1;
        }
        if (server.backendFailure().isPresent()) {
            err.println("qmpd: " + server.backendFailure().get());
            return 1;
        }
        return 0;
    }

    private static String oneLine(String text) {
        return String.valueOf(text).replaceAll("\\s*\\R\\s*", " ");
    }

    private void end(TerminalMode terminal, FirstRun firstRun, Optional<Pidfile> pidfile) {
        if (terminal != null) {
            terminal.restore();
        }
        if (firstRun != null) {
            firstRun.remove();
        }
        removePidfile(pidfile);
    }

    private void createChardevs(QmpServer server, List<ChardevSpec> chardevs) throws OptionException {
        for (ChardevSpec spec : chardevs) {
            if (spec.waitingOn() != null) {
                err.println("qmpd: " + spec.option() + ": info: QEMU waiting for connection on: disconnected:"
                        + spec.waitingOn() + ",server=on");
            }
            JsonNode added;
            try {
                added = server.addChardev(spec.id(), spec.backend());
            } catch (QmpException e) {
                throw failure(
                        spec.option(),
                        ChardevAddFailure.reason(spec.id(), e.error().desc()));
            }
            JsonNode pty = added.get("pty");
            if (pty != null) {
                out.print(ChardevOpts.redirectedLine(pty.asText(), spec.id()));
                out.flush();
            }
        }
    }

    /** Monitors without an id are named around the ids of those (and of -object monitors) still to come. */
    private static void keepIds(QmpServer server, List<MonitorSpec> monitors, List<MonitorObjectSpec> objects) {
        List<String> ids = Stream.concat(
                        monitors.stream().map(MonitorSpec::id), objects.stream().map(MonitorObjectSpec::id))
                .filter(Objects::nonNull)
                .toList();
        server.keepIdsForCommandLine(ids);
    }

    private void createMonitors(QmpServer server, List<MonitorSpec> monitors) throws OptionException {
        for (MonitorSpec spec : monitors) {
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

    private void createObjects(QmpServer server, List<MonitorObjectSpec> objects) throws OptionException {
        for (MonitorObjectSpec spec : objects) {
            try {
                if (spec.control()) {
                    server.addQmpMonitorObject(spec.id(), spec.chardev(), spec.pretty(), spec.deleteOnClose());
                } else {
                    server.addHmpMonitorObject(spec.id(), spec.chardev(), spec.readline());
                }
            } catch (QmpException e) {
                throw failure(spec.option(), e.error().desc());
            }
        }
    }

    private static OptionException failure(String written, String reason) {
        int space = written.indexOf(' ');
        return space < 0
                ? new OptionException(written, null, reason)
                : new OptionException(written.substring(0, space), written.substring(space + 1), reason);
    }

    private void removePidfile(Optional<Pidfile> pidfile) {
        if (pidfile.isPresent()) {
            try {
                pidfile.get().remove();
            } catch (IOException e) {
                err.println("qmpd: cannot remove " + pidfile.get().path() + ": " + Errno.text(e));
            }
        }
    }
}
