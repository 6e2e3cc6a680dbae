package io.qmpd.daemon;

import io.qmpd.chardev.ChardevOpts;
import io.qmpd.command.MonitorHotplug;
import io.qmpd.machine.SimulatedMachine;
import io.qmpd.qapi.opts.QemuOpts;
import io.qmpd.qapi.opts.QemuOptsList;
import io.qmpd.server.QmpServerBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The option table: which options qmpd takes, with QEMU's names and syntax, and how each becomes
 * part of {@link DaemonOptions}. Parsing and checking happen here, before anything is created, so
 * a bad command line leaves no socket behind.
 */
public final class CommandLine {

    /** Options and whether they take an argument. */
    static final Map<String, Boolean> OPTIONS = Map.ofEntries(
            Map.entry("-chardev", true),
            Map.entry("-mon", true),
            Map.entry("-qmp", true),
            Map.entry("-qmp-pretty", true),
            Map.entry("-monitor", true),
            Map.entry("-object", true),
            Map.entry("-machine", true),
            Map.entry("-M", true),
            Map.entry("-display", true),
            Map.entry("-pidfile", true),
            Map.entry("-name", true),
            Map.entry("-uuid", true),
            Map.entry("-smp", true),
            Map.entry("-D", true),
            Map.entry("-io-poll-max-ns", true),
            Map.entry("-upstream", true),
            Map.entry("-nodefaults", false),
            Map.entry("-S", false),
            Map.entry("-no-shutdown", false),
            Map.entry("-daemonize", false),
            Map.entry("-nographic", false),
            Map.entry("-version", false),
            Map.entry("-h", false),
            Map.entry("-help", false));

    static final QemuOptsList MON = new QemuOptsList("mon", "chardev", Set.of("chardev", "mode", "pretty", "id"));
    static final QemuOptsList MACHINE = new QemuOptsList("machine", "type", Set.of("type", "accel"));
    static final QemuOptsList DISPLAY = new QemuOptsList("display", "type", Set.of("type"));
    static final QemuOptsList NAME = new QemuOptsList("name", "guest", Set.of("guest", "process", "debug-threads"));
    static final QemuOptsList SMP = new QemuOptsList(
            "smp-opts", "cpus", Set.of("cpus", "maxcpus", "sockets", "dies", "clusters", "cores", "threads"));

    private final List<ChardevSpec> chardevs = new ArrayList<>();
    private final List<MonitorSpec> monitors = new ArrayList<>();
    private final List<MonitorObjectSpec> objects = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private DaemonOptions.Action action = DaemonOptions.Action.RUN;
    private int compatIndex;
    private boolean startPaused;
    private boolean noShutdown;
    private boolean daemonize;
    private boolean nodefaults;
    private boolean nographic;
    private boolean monitorNone;
    private boolean machineNone;
    private Integer smp;
    private String smpWritten;
    private Path pidfile;
    private Path logFile;
    private long ioPollMaxNanos = QmpServerBuilder.DEFAULT_IO_POLL_MAX_NANOS;
    private String name;
    private UUID uuid = SimulatedMachine.NIL_UUID;
    private UpstreamSpec upstream;
    /** The first option given that sets up the simulated machine, as written: refused with -upstream. */
    private String machineOption;

    /** Options that set up the simulated machine; with {@code -upstream}, QEMU's own command line does. */
    private static final Set<String> MACHINE_OPTIONS =
            Set.of("-machine", "-M", "-name", "-uuid", "-smp", "-S", "-no-shutdown");

    private CommandLine() {}

    /** Parses and checks {@code args}; the first problem is reported in QEMU's words. */
    public static DaemonOptions parse(String... args) throws OptionException {
        CommandLine cl = new CommandLine();
        for (int i = 0; i < args.length; i++) {
            String written = args[i];
            String option = written.startsWith("--") ? written.substring(1) : written;
            if (!option.startsWith("-") || option.length() < 2) {
                throw new OptionException(written, null, "disk images are not supported");
            }
            Boolean hasArg = OPTIONS.get(option);
            if (hasArg == null) {
                throw new OptionException(written, null, "invalid option");
            }
            String arg = null;
            if (hasArg) {
                if (i + 1 >= args.length) {
                    throw new OptionException(written, null, "requires an argument");
                }
                arg = args[++i];
            }
            if (MACHINE_OPTIONS.contains(option) && cl.machineOption == null) {
                cl.machineOption = written;
            }
            try {
                cl.apply(option, arg);
            } catch (IllegalArgumentException e) {
                throw new OptionException(written, arg, e.getMessage());
            }
        }
        if (cl.nographic
                && !cl.nodefaults
                && !cl.monitorNone
                && cl.chardevs.stream()
                        .noneMatch(c -> c.backend().path("type").asText().equals("stdio"))) {
            cl.legacyMonitor("-nographic", "stdio", false, false);
        }
        if (cl.upstream != null && cl.machineOption != null) {
            throw new OptionException(
                    cl.machineOption,
                    null,
                    "not with -upstream (it sets up the simulated machine; QEMU's own command line sets up QEMU's)");
        }
        cl.checkMonitors();
        int vcpus = cl.machineNone ? 0 : cl.smp == null ? 1 : cl.smp;
        if (cl.machineNone && cl.smp != null && cl.smp > 1) {
            throw new OptionException(
                    "-smp",
                    cl.smpWritten,
                    "Invalid SMP CPUs " + cl.smp + ". The max CPUs supported by machine 'none' is 1");
        }
        boolean firstRun = cl.monitors.isEmpty() && cl.objects.isEmpty() && !cl.monitorNone && !cl.nodefaults;
        return new DaemonOptions(
                cl.action,
                cl.chardevs,
                cl.monitors,
                cl.objects,
                cl.startPaused,
                Optional.ofNullable(cl.pidfile),
                Optional.ofNullable(cl.name),
                cl.uuid,
                vcpus,
                cl.noShutdown,
                cl.daemonize,
                cl.nodefaults,
                cl.nographic,
                firstRun,
                Optional.ofNullable(cl.logFile),
                cl.ioPollMaxNanos,
                Optional.ofNullable(cl.upstream),
                cl.warnings);
    }

    private void apply(String option, String arg) {
        switch (option) {
            case "-chardev" -> chardev(arg, "-chardev " + arg);
            case "-mon" -> mon(arg);
            case "-qmp" -> legacyMonitor(option, arg, true, false);
            case "-qmp-pretty" -> legacyMonitor(option, arg, true, true);
            case "-monitor" -> {
                if (arg.equals("none")) {
                    monitorNone = true;
                } else {
                    legacyMonitor(option, arg, false, false);
                }
            }
            case "-object" -> objects.add(MonitorObjects.parse(arg, "-object " + arg, warnings));
            case "-machine", "-M" -> {
                requireNone(MACHINE, arg, "machine type");
                machineNone = true;
            }
            case "-display" -> requireNone(DISPLAY, arg, "display");
            case "-pidfile" -> pidfile = Path.of(arg);
            case "-D" -> logFile = Path.of(arg);
            case "-io-poll-max-ns" -> ioPollMaxNanos = nanos(arg);
            case "-upstream" -> upstream = UpstreamSpec.parse(arg);
            case "-name" -> name = checked(NAME, arg).get("guest").orElse(null);
            case "-uuid" -> uuid = uuid(arg);
            case "-smp" -> {
                smp = smp(checked(SMP, arg));
                smpWritten = arg;
            }
            case "-nodefaults" -> nodefaults = true;
            case "-nographic" -> nographic = true;
            case "-S" -> startPaused = true;
            case "-no-shutdown" -> noShutdown = true;
            case "-daemonize" -> daemonize = true;
            case "-version" -> action = DaemonOptions.Action.VERSION;
            case "-h", "-help" -> action = DaemonOptions.Action.HELP;
            default -> throw new IllegalStateException("state: option table and switch disagree on " + option);
        }
    }

    /** {@code -io-poll-max-ns}: nanoseconds, 0 to 1 s. */
    private static long nanos(String arg) {
        if (arg.matches("[0-9]{1,10}")) {
            long n = Long.parseLong(arg);
            if (n <= 1_000_000_000L) {
                return n;
            }
        }
        throw new IllegalArgumentException("expects a number of nanoseconds from 0 to 1000000000");
    }

    /** QEMU's {@code qemu_uuid_parse}: 8-4-4-4-12 hex digits. */
    private static UUID uuid(String arg) {
        if (!arg.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            throw new IllegalArgumentException("failed to parse UUID string: wrong format");
        }
        return UUID.fromString(arg);
    }

    /** The vCPU count of {@code -smp}: {@code cpus}, else the product of the topology given. */
    private static int smp(QemuOpts opts) {
        if (opts.has("cpus")) {
            return positive("cpus", opts.get("cpus").get());
        }
        int n = 1;
        for (String k : new String[] {"sockets", "dies", "clusters", "cores", "threads"}) {
            if (opts.has(k)) {
                n *= positive(k, opts.get(k).get());
            }
        }
        return n;
    }

    private static int positive(String key, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
            throw new IllegalArgumentException(
                    "Invalid SMP CPUs " + n + ". The min CPUs supported by machine 'none' is 1");
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Parameter 'smp." + key + "' expects integer");
        }
    }

    /** A {@code -chardev} argument qmpd itself writes (the first run's sockets). */
    static QemuOpts parseChardev(String arg) {
        return ChardevOpts.LIST.parse(arg).opts();
    }

    private QemuOpts checked(QemuOptsList list, String arg) {
        QemuOptsList.Checked c = list.parse(arg);
        c.warnings().forEach(w -> warnings.add(w));
        return c.opts();
    }

    private void requireNone(QemuOptsList list, String arg, String what) {
        String type = checked(list, arg).get("type").orElse("");
        if (!type.equals("none")) {
            throw new IllegalArgumentException(what + " '" + type + "' is not supported (qmpd has only 'none')");
        }
    }

    private void chardev(String arg, String written) {
        QemuOpts opts = checked(ChardevOpts.LIST, arg);
        String id = opts.get("id").orElseThrow(() -> new IllegalArgumentException("chardev: no id specified"));
        if (chardevs.stream().anyMatch(c -> c.id().equals(id))) {
            throw new IllegalArgumentException("Duplicate ID '" + id + "' for chardev");
        }
        chardevs.add(ChardevSpec.of(id, opts, written));
    }

    private void mon(String arg) {
        QemuOpts opts = checked(MON, arg);
        String chardev =
                opts.get("chardev").orElseThrow(() -> new IllegalArgumentException("Parameter 'chardev' is missing"));
        String mode = opts.get("mode").orElse("readline");
        if (!mode.equals("readline") && !mode.equals("control")) {
            throw new IllegalArgumentException("Parameter 'mode' does not accept value '" + mode + "'");
        }
        String id = opts.get("id").orElse(null);
        addMonitor(new MonitorSpec(id, chardev, mode.equals("control"), opts.bool("pretty", false), "-mon " + arg));
    }

    private void legacyMonitor(String option, String device, boolean control, boolean pretty) {
        String label = "compat_monitor" + compatIndex++;
        String chardev = LegacyChardev.existing(device).orElse(null);
        if (chardev == null) {
            chardev(LegacyChardev.toChardevArgument(device, label), option + " " + device);
            chardev = label;
        }
        addMonitor(new MonitorSpec(chardev, chardev, control, pretty, option + " " + device));
    }

    private void addMonitor(MonitorSpec spec) {
        if (spec.id() != null && monitors.stream().anyMatch(m -> spec.id().equals(m.id()))) {
            throw new IllegalArgumentException("Duplicate ID '" + spec.id() + "' for mon");
        }
        monitors.add(spec);
    }

    /** QEMU creates monitors after every chardev: a -mon may name a chardev defined after it. */
    private void checkMonitors() throws OptionException {
        Set<String> used = new HashSet<>();
        for (MonitorSpec m : monitors) {
            if (chardevs.stream().noneMatch(c -> c.id().equals(m.chardev()))) {
                throw optionError(m, MonitorHotplug.noSuchChardev(m.chardev()).getMessage());
            }
            if (!used.add(m.chardev())) {
                throw optionError(m, "Device '" + m.chardev() + "' is in use");
            }
        }
    }

    private static OptionException optionError(MonitorSpec m, String reason) {
        int space = m.option().indexOf(' ');
        return new OptionException(m.option().substring(0, space), m.option().substring(space + 1), reason);
    }
}
