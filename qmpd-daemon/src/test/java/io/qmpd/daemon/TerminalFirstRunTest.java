package io.qmpd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.PseudoTerminal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/qmpd} with no options on a terminal, as a person meets it: a pseudo-terminal from
 * util-linux {@code script} stands between this test and the daemon, and the test types into it.
 */
class TerminalFirstRunTest {

    @TempDir
    Path dir;

    @Test
    void aTerminalGetsAnHmpMonitorWhereInfoMonitorsAndQuitWork() throws Exception {
        PseudoTerminal.assumeAvailable();
        Path runtime = Files.createDirectory(dir.resolve("run"));
        try (PseudoTerminal terminal =
                PseudoTerminal.start(DaemonProcess.command(List.of()), Map.of("XDG_RUNTIME_DIR", runtime.toString()))) {
            terminal.awaitScreen("(qemu) ", 1);
            assertThat(terminal.screen())
                    .contains("qmpd: QMP monitor on " + runtime.resolve("qmpd"))
                    .contains("socat - UNIX-CONNECT:")
                    .contains("QEMU 11.0.0 monitor - type 'help' for more information");

            terminal.type("info monitors\r");
            terminal.awaitScreen("(qemu) ", 2);
            assertThat(terminal.screen())
                    .contains("qmp: mode=control, chardev=qmp, dynamic=off")
                    .contains("hmp: mode=readline, chardev=hmp, dynamic=off");

            terminal.type("quit\r");
            Process p = terminal.process();
            assertThat(p.waitFor(DaemonProcess.BOUND.toMillis(), TimeUnit.MILLISECONDS))
                    .as("qmpd ends after quit; the terminal showed:%n%s", terminal.screen())
                    .isTrue();
            assertThat(p.exitValue()).isZero();
            try (var left = Files.list(runtime.resolve("qmpd"))) {
                assertThat(left).as("the QMP socket is unlinked on quit").isEmpty();
            }
        }
    }
}
