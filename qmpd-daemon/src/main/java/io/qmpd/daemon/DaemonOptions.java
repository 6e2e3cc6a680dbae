package io.qmpd.daemon;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything the command line asked for, checked: chardevs and monitors in the order QEMU creates
 * them (all chardevs first, then all monitors), and the machine options.
 */
public record DaemonOptions(List<ChardevSpec> chardevs, List<MonitorSpec> monitors, boolean startPaused,
                            Optional<Path> pidfile, Optional<String> name, List<String> warnings) {

    public DaemonOptions {
        chardevs = List.copyOf(chardevs);
        monitors = List.copyOf(monitors);
        warnings = List.copyOf(warnings);
    }
}
