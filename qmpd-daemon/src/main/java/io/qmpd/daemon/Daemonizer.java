package io.qmpd.daemon;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code -daemonize} without fork: the process starts itself again in a new session with stdin and
 * stdout on {@code /dev/null} and stderr on a pipe, relays what the child prints while it starts,
 * and exits 0 when the child reports it is ready (sockets listening, pidfile written) or with the
 * child's status when start-up failed, as QEMU's parent does.
 */
final class Daemonizer {

    /** Set in the child's environment. */
    static final String CHILD_ENV = "QMPD_DAEMONIZED";
    /** The line the child writes on stderr once it has started. */
    static final String READY = "\u0000qmpd-ready";

    private Daemonizer() {}

    /** What descriptor passing needs (io.qmpd.io.Descriptors); the jar's manifest says the same. */
    static final String ADD_OPENS = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";

    static boolean isChild() {
        return System.getenv(CHILD_ENV) != null;
    }

    /** In the child: tells the parent start-up is done and stops writing to its pipe. */
    static void ready() {
        System.err.println(READY);
        System.err.flush();
        System.setErr(new PrintStream(PrintStream.nullOutputStream()));
    }

    /** In the parent: returns the exit status. */
    static int run(String[] args, PrintStream err) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        cmd.addAll(jvmOptions);
        if (!jvmOptions.contains(ADD_OPENS)) {
            cmd.add(ADD_OPENS); // the jar's manifest gives it to java -jar only, not to -cp
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(Arrays.stream(args)
                .filter(a -> !a.equals("-daemonize") && !a.equals("--daemonize"))
                .toList());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put(CHILD_ENV, "1");
        try {
            Process child = pb.start();
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.equals(READY)) {
                        return 0;
                    }
                    err.println(line);
                }
            }
            return child.waitFor();
        } catch (IOException e) {
            err.println("qmpd: -daemonize: cannot start: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
