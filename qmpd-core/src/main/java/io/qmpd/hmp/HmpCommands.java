package io.qmpd.hmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.command.CommandEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The HMP commands qmpd offers (a deliberately short subset of QEMU's) and QEMU's
 * {@code handle_hmp_command}: parse, run, print. Each command that acts on the server calls its QMP
 * twin through {@link HmpCall#qmp}, and is offered only if that twin is registered. Texts and
 * formats are QEMU's.
 *
 * <p>Thread-safe: the table is built once from the (immutable) command registry; commands run on
 * the dispatcher; completion may run on any thread.
 */
public final class HmpCommands implements HmpDispatch {

    private final CommandEnvironment env;
    private volatile HmpCommandTable table;

    /** {@code env.commands()} is read at first use, so this may be created while the server is wired. */
    public HmpCommands(CommandEnvironment env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    @Override
    public CompletionStage<Result> execute(HmpMonitor monitor, String line, List<String> history, HmpOutput out) {
        return CompletableFuture.completedFuture(run(monitor, line, history, out));
    }

    private Result run(HmpMonitor monitor, String line, List<String> history, HmpOutput out) {
        HmpCommandTable t = table();
        HmpCommandTable.Found found = t.parseCommand(line, 0, out);
        if (found == null) {
            return Result.DONE;
        }
        Map<String, String> args = HmpCommandTable.parseArguments(line, found, out);
        if (args == null) {
            int end = found.argsStart();
            while (end > 0 && HmpCommandTable.isSpace(line.charAt(end - 1))) {
                end--;
            }
            out.print("Try \"help " + line.substring(0, end) + "\" for more information\n");
            return Result.DONE;
        }
        HmpCall call = new HmpCall(env, monitor, args, history, out);
        found.command().handler().run(call);
        return new Result(call.keepsSuspended(), call.afterOutput());
    }

    @Override
    public Readline.Completion complete(String lineBeforeCursor) {
        return table().complete(lineBeforeCursor);
    }

    /** The commands offered, sorted (for tests and docs). */
    public List<String> commandNames() {
        return table().commands().stream().map(HmpCommandTable.Command::name).toList();
    }

    private HmpCommandTable table() {
        HmpCommandTable t = table;
        if (t == null) {
            t = build();
            table = t;
        }
        return t;
    }

    private boolean served(String qmpName) {
        return env.commands().find(qmpName).isPresent();
    }

    private HmpCommandTable build() {
        HmpCommandTable info = new HmpCommandTable(infoCommands());
        List<HmpCommandTable.Command> cmds = new ArrayList<>();
        HmpCommandTable[] top = new HmpCommandTable[1];
        cmds.add(cmd("help|?", "name:S?", "[cmd]", "show the help", c -> help(top[0], c.out(), c.arg("name"))));
        cmds.add(new HmpCommandTable.Command(
                "info",
                "item:s?",
                "[subcommand]",
                "show various information about the system state",
                c -> info.help(c.out(), List.of("info"), 1),
                info));
        if (served("stop")) {
            cmds.add(cmd("stop|s", "", "", "stop emulation", c -> c.qmpOrPrint("stop", null)));
        }
        if (served("cont")) {
            cmds.add(cmd("cont|c", "", "", "resume emulation", c -> c.qmpOrPrint("cont", null)));
        }
        if (served("quit")) {
            cmds.add(cmd("quit|q", "", "", "quit the emulator", c -> {
                c.keepSuspended();
                c.qmpOrPrint("quit", null);
            }));
        }
        if (served("system_reset")) {
            cmds.add(cmd("system_reset", "", "", "reset the system", c -> c.qmpOrPrint("system_reset", null)));
        }
        if (served("system_powerdown")) {
            cmds.add(cmd(
                    "system_powerdown",
                    "",
                    "",
                    "send system power down event",
                    c -> c.qmpOrPrint("system_powerdown", null)));
        }
        if (served("chardev-add")) {
            cmds.add(new HmpCommandTable.Command(
                    "chardev-add",
                    "args:s",
                    "args",
                    "add chardev",
                    HmpChardevAdd::run,
                    null,
                    () -> env.chardevBackends().names()));
        }
        if (served("chardev-remove")) {
            cmds.add(cmd(
                    "chardev-remove",
                    "id:s",
                    "id",
                    "remove chardev",
                    c -> c.qmpOrPrint("chardev-remove", object("id", c.arg("id")))));
        }
        top[0] = new HmpCommandTable(cmds);
        return top[0];
    }

    private List<HmpCommandTable.Command> infoCommands() {
        List<HmpCommandTable.Command> cmds = new ArrayList<>();
        if (served("query-version")) {
            cmds.add(cmd("version", "", "", "show the version of QEMU", c -> {
                JsonNode v = c.qmpOrPrint("query-version", null);
                if (v != null) {
                    JsonNode q = v.get("qemu");
                    c.print(q.get("major").asLong() + "." + q.get("minor").asLong() + "."
                            + q.get("micro").asLong() + v.get("package").asText() + "\n");
                }
            }));
        }
        if (served("query-status")) {
            cmds.add(cmd("status", "", "", "show the current VM status (running|paused)", HmpCommands::infoStatus));
        }
        if (served("query-name")) {
            cmds.add(cmd("name", "", "", "show the current VM name", c -> {
                JsonNode n = c.qmpOrPrint("query-name", null);
                if (n != null && n.has("name")) {
                    c.print(n.get("name").asText() + "\n");
                }
            }));
        }
        if (served("query-uuid")) {
            cmds.add(cmd("uuid", "", "", "show the current VM UUID", c -> {
                JsonNode u = c.qmpOrPrint("query-uuid", null);
                if (u != null) {
                    c.print(u.get("UUID").asText() + "\n");
                }
            }));
        }
        if (served("query-chardev")) {
            cmds.add(cmd("chardev", "", "", "show the character devices", c -> {
                JsonNode list = c.qmpOrPrint("query-chardev", null);
                if (list != null) {
                    c.print(infoChardev(list));
                }
            }));
        }
        cmds.add(cmd("history", "", "", "show the command line history", c -> {
            for (int i = 0; i < c.history().size(); i++) {
                c.print(i + ": '" + c.history().get(i) + "'\n");
            }
        }));
        if (served("query-monitors")) {
            cmds.add(cmd("monitors", "", "", "show the monitors", HmpCommands::infoMonitors));
        }
        return cmds;
    }

    private static void infoStatus(HmpCall c) {
        JsonNode s = c.qmpOrPrint("query-status", null);
        if (s == null) {
            return;
        }
        boolean running = s.get("running").asBoolean();
        String status = s.get("status").asText();
        StringBuilder text = new StringBuilder("VM status: ").append(running ? "running" : "paused");
        if (s.path("singlestep").asBoolean()) {
            text.append(" (single step mode)");
        }
        if (!running && !status.equals("paused")) {
            text.append(" (").append(status).append(')');
        }
        c.print(text.append('\n').toString());
    }

    /** qmpd's own {@code info monitors}: one line per monitor, in creation order. */
    private static void infoMonitors(HmpCall c) {
        JsonNode list = c.qmpOrPrint("query-monitors", null);
        if (list != null) {
            for (JsonNode m : list) {
                c.print((m.has("id") ? m.get("id").asText() : "(no id)") + ": mode="
                        + m.get("mode").asText()
                        + ", chardev=" + m.get("chardev").asText()
                        + ", dynamic=" + (m.get("dynamic").asBoolean() ? "on" : "off") + "\n");
            }
        }
    }

    private static void help(HmpCommandTable table, HmpOutput out, String name) {
        List<String> args = name == null ? List.of() : HmpCommandTable.words(name);
        if (args != null) {
            table.help(out, args, 0);
        }
    }

    private static HmpCommandTable.Command cmd(
            String name, String argsType, String params, String help, HmpCommandTable.Handler handler) {
        return new HmpCommandTable.Command(name, argsType, params, help, handler, null);
    }

    private static ObjectNode object(String key, String value) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put(key, value);
        return o;
    }

    /** HMP's {@code info chardev} for {@code query-chardev}'s answer, as QEMU prints it: one line a chardev. */
    public static String infoChardev(JsonNode chardevs) {
        StringBuilder text = new StringBuilder();
        for (JsonNode chardev : chardevs) {
            text.append(chardev.path("label").asText())
                    .append(": filename=")
                    .append(chardev.path("filename").asText())
                    .append('\n');
        }
        return text.toString();
    }
}
