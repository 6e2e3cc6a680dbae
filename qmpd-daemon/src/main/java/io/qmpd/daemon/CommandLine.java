package io.qmpd.daemon;

import io.qmpd.chardev.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The option table: which options qmpd takes, with QEMU's names and syntax, and how each becomes
 * part of {@link DaemonOptions}. Parsing and checking happen here, before anything is created, so
 * a bad command line leaves no socket behind.
 */
public final class CommandLine {

    /** Options and whether they take an argument. */
    private static final Map<String, Boolean> OPTIONS = Map.ofEntries(
            Map.entry("-chardev", true), Map.entry("-mon", true), Map.entry("-qmp", true),
            Map.entry("-qmp-pretty", true), Map.entry("-monitor", true), Map.entry("-machine", true),
            Map.entry("-M", true), Map.entry("-display", true), Map.entry("-pidfile", true),
            Map.entry("-name", true), Map.entry("-nodefaults", false), Map.entry("-S", false));

    static final QemuOptsList CHARDEV = new QemuOptsList("chardev", "backend",
            Set.of("backend", "id", "path", "host", "port", "server", "wait", "nodelay"));
    static final QemuOptsList MON = new QemuOptsList("mon", "chardev", Set.of("chardev", "mode", "pretty", "id"));
    static final QemuOptsList MACHINE = new QemuOptsList("machine", "type", Set.of("type"));
    static final QemuOptsList DISPLAY = new QemuOptsList("display", "type", Set.of("type"));
    static final QemuOptsList NAME = new QemuOptsList("name", "guest", Set.of("guest", "process", "debug-threads"));

    private final List<ChardevSpec> chardevs = new ArrayList<>();
    private final List<MonitorSpec> monitors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private int compatIndex;
    private boolean startPaused;
    private Path pidfile;
    private String name;

    private CommandLine() {
    }

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
            try {
                cl.apply(option, arg);
            } catch (IllegalArgumentException e) {
                throw new OptionException(written, arg, e.getMessage());
            }
        }
        cl.checkMonitors();
        return new DaemonOptions(cl.chardevs, cl.monitors, cl.startPaused, Optional.ofNullable(cl.pidfile),
                Optional.ofNullable(cl.name), cl.warnings);
    }

    private void apply(String option, String arg) {
        switch (option) {
            case "-chardev" -> chardev(arg, "-chardev " + arg);
            case "-mon" -> mon(arg);
            case "-qmp" -> legacyMonitor(option, arg, true, false);
            case "-qmp-pretty" -> legacyMonitor(option, arg, true, true);
            case "-monitor" -> legacyMonitor(option, arg, false, false);
            case "-machine", "-M" -> requireNone(MACHINE, arg, "machine type");
            case "-display" -> requireNone(DISPLAY, arg, "display");
            case "-pidfile" -> pidfile = Path.of(arg);
            case "-name" -> name = checked(NAME, arg).get("guest").orElse(null);
            case "-nodefaults" -> { }
            case "-S" -> startPaused = true;
            default -> throw new IllegalStateException("state: option table and switch disagree on " + option);
        }
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
        QemuOpts opts = checked(CHARDEV, arg);
        String id = opts.get("id").orElseThrow(() -> new IllegalArgumentException("chardev: no id specified"));
        String backend = opts.get("backend").orElse("");
        if (!backend.equals("socket")) {
            throw new IllegalArgumentException(backend.isEmpty() ? "chardev: \"" + id + "\" missing backend"
                    : "chardev backend '" + backend + "' is not supported yet");
        }
        if (chardevs.stream().anyMatch(c -> c.id().equals(id))) {
            throw new IllegalArgumentException("Duplicate ID '" + id + "' for chardev");
        }
        Optional<String> path = opts.get("path");
        Optional<String> host = opts.get("host");
        if (path.isPresent() == host.isPresent()) {
            throw new IllegalArgumentException("None or one of 'path', 'fd' or 'host' option required.");
        }
        SocketAddress address;
        if (path.isPresent()) {
            address = new SocketAddress.Unix(Path.of(path.get()));
        } else {
            String port = opts.get("port").orElseThrow(() -> new IllegalArgumentException("chardev: socket: no port given"));
            address = new SocketAddress.Inet(host.get(), parsePort(host.get(), port));
        }
        boolean server = opts.bool("server", false);
        boolean wait = opts.bool("wait", true);
        boolean nodelay = opts.bool("nodelay", false);
        if (!server) {
            throw new IllegalArgumentException("client sockets (server=off) are not supported yet");
        }
        chardevs.add(new ChardevSpec(id, address, true, wait, nodelay, written));
    }

    private static int parsePort(String host, String port) {
        try {
            int n = Integer.parseInt(port);
            if (n >= 0 && n <= 65535) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Falls through to QEMU's resolver error.
        }
        throw new IllegalArgumentException("address resolution failed for " + host + ":" + port
                + ": Servname not supported for ai_socktype");
    }

    private void mon(String arg) {
        QemuOpts opts = checked(MON, arg);
        String chardev = opts.get("chardev").orElseThrow(() -> new IllegalArgumentException("Parameter 'chardev' is missing"));
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
                throw optionError(m, "chardev \"" + m.chardev() + "\" not found");
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
