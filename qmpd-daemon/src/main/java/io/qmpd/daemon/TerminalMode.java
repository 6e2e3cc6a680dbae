package io.qmpd.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The terminal settings of an HMP monitor on stdio, as QEMU's stdio chardev sets them: no line
 * editing or echo by the terminal (the monitor's readline does both), signals kept so Ctrl-C
 * still interrupts. The JDK cannot call tcsetattr, so this runs {@code stty} on the inherited
 * stdin; {@link #restore()} puts the saved settings back.
 */
final class TerminalMode {

    private final String saved;

    private TerminalMode(String saved) {
        this.saved = saved;
    }

    /** Returns null when stdin is not a terminal or stty fails (the monitor then still works, echoed twice). */
    static TerminalMode monitorOnStdio() {
        try {
            String saved = stty("-g").trim();
            stty(
                    "-icanon", "-echo", "-echonl", "-iexten", "-ixon", "-icrnl", "-inlcr", "-igncr", "-istrip", "opost",
                    "isig", "min", "1", "time", "0");
            return new TerminalMode(saved);
        } catch (IOException e) {
            return null;
        }
    }

    void restore() {
        try {
            stty(saved);
        } catch (IOException e) {
            // the terminal is gone
        }
    }

    private static String stty(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("stty failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }
}
