package io.qmpd.client.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.client.Greeting;
import io.qmpd.client.QmpClient;
import io.qmpd.client.QmpClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code bin/qmp-shell [-h] [-p] [-H] [-v] [-N] [-l LOGFILE] SOCKET}: QEMU's qmp-shell on {@link QmpClient}. SOCKET
 * is a unix socket path or {@code host:port}. Reads {@code command key=value ...} lines (see
 * {@link ShellCommandParser}) and prints each reply as qmp-shell does; events are printed as they
 * arrive. With {@code -H} each line is an HMP command sent through {@code human-monitor-command}.
 * On a terminal, lines are edited with JLine (history, tab completion from {@code query-commands});
 * otherwise lines are read plainly from stdin. Runs on the calling thread; events print from the
 * client's callback thread, output being serialized by the {@link PrintStream}.
 */
public final class QmpShell {

    private static final String USAGE = "usage: qmp-shell [-h] [-H] [-N] [-v] [-p] [-l LOGFILE] SOCKET";
    private static final String HELP = USAGE + "\n\n"
            + "An interactive QMP shell: type 'command key=value ...' or a JSON object; replies and events\n"
            + "are printed as they arrive.\n\n"
            + "positional arguments:\n"
            + "  SOCKET                a unix socket path or host:port (default: $QMP_SOCKET)\n\n"
            + "options:\n"
            + "  -h, --help            show this help and exit\n"
            + "  -H, --hmp             HMP mode: each line is an HMP command line\n"
            + "  -N, --skip-negotiation\n"
            + "                        do not send qmp_capabilities after the greeting\n"
            + "  -v, --verbose         print each command before sending it\n"
            + "  -p, --pretty          print replies and events indented\n"
            + "  -l LOGFILE, --logfile LOGFILE\n"
            + "                        save each command with its reply, one JSON object a line\n";
    /** How long the greeting may take before the shell says the monitor may be busy. */
    static final long BUSY_NOTE_MILLIS = 1_000;

    private final ObjectMapper mapper = new ObjectMapper();
    private final ShellCommandParser parser = new ShellCommandParser(mapper);
    private final PrintStream out;
    private final PrintStream err;
    private boolean pretty;
    private boolean hmp;
    private boolean verbose;
    /** -l: each command with its reply; null without. */
    private PrintStream log;

    private boolean negotiate = true;
    private int cpuIndex;

    QmpShell(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) throws IOException {
        boolean terminal = System.console() != null;
        System.exit(new QmpShell(System.out, System.err).run(args, System.in, terminal));
    }

    /** Runs the shell to the end of input or of the connection; returns the exit status. */
    int run(String[] args, InputStream in, boolean interactive) throws IOException {
        String address = null;
        Path logPath = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    out.print(HELP);
                    return 0;
                }
                case "-l", "--logfile" -> {
                    if (++i == args.length) {
                        err.println(USAGE);
                        err.println("qmp-shell: error: argument -l/--logfile: expected one argument");
                        return 2;
                    }
                    logPath = Path.of(args[i]);
                }
                case "-p", "--pretty" -> pretty = true;
                case "-H", "--hmp" -> hmp = true;
                case "-v", "--verbose" -> verbose = true;
                case "-N", "--skip-negotiation" -> negotiate = false;
                default -> {
                    if (arg.startsWith("-") || address != null) {
                        err.println(USAGE);
                        return 2;
                    }
                    address = arg;
                }
            }
        }
        if (address == null) {
            address = System.getenv("QMP_SOCKET");
        }
        if (address == null) {
            err.println(USAGE);
            err.println("qmp-shell: error: QMP socket or TCP address must be specified");
            return 2;
        }
        QmpClientBuilder builder = QmpClient.builder().negotiate(negotiate).name("shell");
        String[] parts = address.split(":", -1);
        if (parts.length == 2) {
            try {
                builder.tcp(parts[0], Integer.parseInt(parts[1]));
            } catch (IllegalArgumentException e) {
                err.println("qmp-shell: error: Bad port number: " + address);
                return 2;
            }
        } else {
            builder.unix(Path.of(address));
        }
        if (logPath != null) {
            try {
                log = new PrintStream(Files.newOutputStream(logPath), true, StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("qmp-shell: error: cannot open " + logPath + ": " + e.getMessage());
                return 2;
            }
        }
        try (QmpClient client = builder.build();
                PrintStream closesLog = log) {
            Greeting greeting;
            // A QEMU monitor serves one client: a second one is accepted but gets no greeting
            // until the first leaves. Say so rather than wait in silence.
            String where = address;
            CompletableFuture<Void> busyNote = CompletableFuture.runAsync(
                    () -> err.println("qmp-shell: no greeting"
                            + " yet from " + where
                            + ": the monitor is probably serving another client (a monitor serves one"
                            + " at a time); waiting"),
                    CompletableFuture.delayedExecutor(BUSY_NOTE_MILLIS, TimeUnit.MILLISECONDS));
            try {
                greeting = client.connect();
            } catch (IOException | RuntimeException e) {
                busyNote.cancel(false);
                err.println("ERROR: Couldn't connect to " + address + ": " + e.getMessage());
                return 1;
            }
            busyNote.cancel(false);
            client.addEventListener(event -> out.println(PythonStyleJson.dumps(event.message(), pretty)));
            try (LineSource lines = interactive
                    ? LineSource.terminal(
                            TerminalBuilder.builder().system(true).build(),
                            Path.of(System.getProperty("user.home"), ".qmpd-shell_history"))
                    : LineSource.plain(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), out)) {
                if (interactive) {
                    lines.complete(commandNames(client));
                }
                return repl(client, greeting, lines);
            }
        }
    }

    /** The loop: banner, then one line at a time until end of input or the connection ends. */
    int repl(QmpClient client, Greeting greeting, LineSource lines) throws IOException {
        out.println(hmp ? "Welcome to the HMP shell!" : "Welcome to the QMP low-level shell!");
        out.println("Connected to QEMU " + greeting.version().major() + "."
                + greeting.version().minor() + "." + greeting.version().micro());
        out.println();
        while (true) {
            String line = lines.readLine(parser.inTransaction() ? "TRANS> " : "(QEMU) ");
            if (line == null) {
                out.println();
                return 0;
            }
            if (line.isBlank()) {
                continue;
            }
            if (!(hmp ? runHmp(client, line) : runQmp(client, line))) {
                out.println("Disconnected");
                return 1;
            }
        }
    }

    private boolean runQmp(QmpClient client, String line) {
        ObjectNode command;
        try {
            command = parser.parse(line);
        } catch (ShellInputException e) {
            err.println("Error while parsing command line: " + e.getMessage());
            err.println("command format: <command-name> [arg-name1=arg1] ... [arg-nameN=argN]");
            return true;
        }
        if (command == null) {
            return true;
        }
        if (verbose) {
            out.println(PythonStyleJson.dumps(command, pretty));
        }
        JsonNode reply = send(client, command);
        if (reply == null) {
            return false;
        }
        out.println(PythonStyleJson.dumps(reply, pretty));
        if (log != null) {
            ObjectNode both = command.deepCopy();
            both.setAll((ObjectNode) reply);
            log.println(PythonStyleJson.dumps(both, false));
        }
        return true;
    }

    private boolean runHmp(QmpClient client, String line) {
        String[] words = line.strip().split("\\s+");
        if (words[0].equals("cpu")) {
            try {
                int index = Integer.parseInt(words.length > 1 ? words[1] : "");
                JsonNode check = send(client, hmpCommand("info version", index));
                if (check == null) {
                    return false;
                }
                if (!check.has("return")) {
                    out.println("bad CPU index");
                    return true;
                }
                cpuIndex = index;
            } catch (NumberFormatException e) {
                out.println("cpu command takes an integer argument");
            }
            return true;
        }
        JsonNode reply = send(client, hmpCommand(line, cpuIndex));
        if (reply == null) {
            return false;
        }
        if (reply.has("return")) {
            String text = reply.get("return").asText();
            if (!text.isEmpty()) {
                out.print(text + " ");
                out.flush();
            }
        } else {
            JsonNode error = reply.path("error");
            out.println(error.path("class").asText() + ": " + error.path("desc").asText());
        }
        return true;
    }

    private ObjectNode hmpCommand(String line, int cpu) {
        ObjectNode command = mapper.createObjectNode().put("execute", "human-monitor-command");
        command.putObject("arguments").put("command-line", line).put("cpu-index", cpu);
        return command;
    }

    /** The whole reply, or null when the connection ended. */
    private JsonNode send(QmpClient client, ObjectNode command) {
        try {
            return client.executeRaw(command).get();
        } catch (ExecutionException | IllegalStateException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Command names from {@code query-commands}, for completion (none if it fails). */
    static List<String> commandNames(QmpClient client) {
        List<String> names = new ArrayList<>();
        try {
            for (JsonNode command : client.execute("query-commands").get()) {
                names.add(command.path("name").asText());
            }
        } catch (ExecutionException | RuntimeException e) {
            // No completion then, as qmp-shell.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return names;
    }
}
