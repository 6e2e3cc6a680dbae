package io.qmpd.daemon;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything the command line asked for, checked: chardevs, monitors and monitor objects in the
 * order QEMU creates them (all chardevs first, then the monitors), and the machine options.
 *
 * @param action      what to do: run, or print the version or the help and exit
 * @param vcpus       the machine's vCPUs: {@code -smp}, default 1; 0 with {@code -machine none}, as QEMU
 * @param nodefaults  {@code -nodefaults}: no first-run monitors when none is configured
 * @param nographic   {@code -nographic}: an HMP monitor on stdio
 * @param firstRun    no monitor asked for (not even {@code -monitor none}) and no {@code -nodefaults}:
 *                    qmpd offers a QMP socket of its own and, on a terminal, HMP on stdio
 * @param logFile     {@code -D FILE}
 * @param ioPollMaxNanos {@code -io-poll-max-ns N} (qmpd's own): the event loop's polling before it sleeps
 * @param upstream    {@code -upstream}: the running QEMU qmpd stands in front of, instead of the simulated machine
 */
public record DaemonOptions(
        Action action,
        List<ChardevSpec> chardevs,
        List<MonitorSpec> monitors,
        List<MonitorObjectSpec> monitorObjects,
        boolean startPaused,
        Optional<Path> pidfile,
        Optional<String> name,
        UUID uuid,
        int vcpus,
        boolean noShutdown,
        boolean daemonize,
        boolean nodefaults,
        boolean nographic,
        boolean firstRun,
        Optional<Path> logFile,
        long ioPollMaxNanos,
        Optional<UpstreamSpec> upstream,
        List<String> warnings) {

    /** What a command line asks for. */
    public enum Action {
        RUN,
        VERSION,
        HELP
    }

    public DaemonOptions {
        chardevs = List.copyOf(chardevs);
        monitors = List.copyOf(monitors);
        monitorObjects = List.copyOf(monitorObjects);
        warnings = List.copyOf(warnings);
    }
}
