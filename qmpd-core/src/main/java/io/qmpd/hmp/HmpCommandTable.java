package io.qmpd.hmp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A table of HMP commands as QEMU's {@code hmp-commands.hx} declares them (name with {@code |}
 * aliases, argument types, parameter synopsis, help), sorted by name as QEMU sorts its tables,
 * with QEMU's command-line parser, help listing and tab completion over it. Immutable.
 */
final class HmpCommandTable {

    /** Runs one parsed command. */
    @FunctionalInterface
    interface Handler {
        void run(HmpCall call);
    }

    /**
     * One command. {@code argsType} uses QEMU's notation restricted to strings:
     * {@code key:s} (one word or quoted string), {@code key:S} (rest of the line), {@code ?} for
     * optional, comma separated. {@code argValues}, if not null, gives the candidates for
     * completing the first argument (QEMU's {@code command_completion} with {@code nb_args == 2});
     * it may be called on any thread.
     */
    record Command(
            String name,
            String argsType,
            String params,
            String help,
            Handler handler,
            HmpCommandTable subTable,
            Supplier<List<String>> argValues) {

        Command {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(argsType, "argsType");
        }

        Command(String name, String argsType, String params, String help, Handler handler, HmpCommandTable subTable) {
            this(name, argsType, params, help, handler, subTable, null);
        }

        /** QEMU's hmp_compare_cmd: {@code name} equals one of the {@code |} separated aliases. */
        boolean answersTo(String candidate) {
            for (String alias : name.split("\\|", -1)) {
                if (alias.equals(candidate)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A command found on a line, and where its arguments start. */
    record Found(Command command, int argsStart) {}

    private final List<Command> commands;

    HmpCommandTable(List<Command> commands) {
        List<Command> sorted = new ArrayList<>(commands);
        sorted.sort(Comparator.comparing(Command::name));
        this.commands = List.copyOf(sorted);
    }

    List<Command> commands() {
        return commands;
    }

    Command find(String name) {
        for (Command c : commands) {
            if (c.answersTo(name)) {
                return c;
            }
        }
        return null;
    }

    // ---- parsing (QEMU's monitor_parse_command / monitor_parse_arguments) ----

    /** Finds the command of {@code line} from {@code from}; prints QEMU's error if unknown, null for a blank line. */
    Found parseCommand(String line, int from, HmpOutput out) {
        int p = skipSpaces(line, from);
        if (p == line.length()) {
            return null;
        }
        int start = p;
        while (p < line.length() && line.charAt(p) != '/' && !isSpace(line.charAt(p))) {
            p++;
        }
        String name = line.substring(start, Math.min(p, start + 255));
        Command cmd = find(name);
        if (cmd == null) {
            out.print("unknown command: '" + line.substring(0, p) + "'\n");
            return null;
        }
        p = skipSpaces(line, p);
        if (cmd.subTable() != null && p < line.length()) {
            return cmd.subTable().parseCommand(line, p, out);
        }
        return new Found(cmd, p);
    }

    /** Parses the arguments of {@code found}; prints QEMU's error and returns null if they do not fit. */
    static Map<String, String> parseArguments(String line, Found found, HmpOutput out) {
        Command cmd = found.command();
        Map<String, String> args = new LinkedHashMap<>();
        int[] p = {found.argsStart()};
        for (String spec :
                cmd.argsType().isEmpty() ? new String[0] : cmd.argsType().split(",")) {
            int colon = spec.indexOf(':');
            String key = spec.substring(0, colon);
            char type = spec.charAt(colon + 1);
            boolean optional = spec.endsWith("?");
            p[0] = skipSpaces(line, p[0]);
            if (optional && p[0] == line.length()) {
                continue;
            }
            if (type == 'S') {
                if (p[0] == line.length()) {
                    out.print(cmd.name() + ": string expected\n");
                    return null;
                }
                args.put(key, line.substring(p[0]));
                p[0] = line.length();
            } else {
                String word = getStr(line, p);
                if (word == null) {
                    out.print(cmd.name() + ": string expected\n");
                    return null;
                }
                args.put(key, word);
            }
        }
        if (skipSpaces(line, p[0]) != line.length()) {
            out.print(cmd.name() + ": extraneous characters at the end of line\n");
            return null;
        }
        return args;
    }

    /**
     * QEMU's get_str: one word, or a double-quoted string with {@code \n \r \\ \' \"} escapes.
     * Advances {@code pos[0]}; null when there is nothing or the string is malformed.
     */
    static String getStr(String s, int[] pos) {
        int p = skipSpaces(s, pos[0]);
        StringBuilder q = new StringBuilder();
        if (p == s.length()) {
            pos[0] = p;
            return null;
        }
        if (s.charAt(p) == '"') {
            p++;
            while (p < s.length() && s.charAt(p) != '"') {
                char c = s.charAt(p++);
                if (c == '\\') {
                    char e = p < s.length() ? s.charAt(p++) : '\0';
                    switch (e) {
                        case 'n' -> q.append('\n');
                        case 'r' -> q.append('\r');
                        case '\\', '\'', '"' -> q.append(e);
                        default -> {
                            pos[0] = p;
                            return null;
                        }
                    }
                } else {
                    q.append(c);
                }
            }
            if (p == s.length()) {
                pos[0] = p;
                return null; // unterminated string
            }
            p++;
        } else {
            while (p < s.length() && !isSpace(s.charAt(p))) {
                q.append(s.charAt(p++));
            }
        }
        pos[0] = p;
        return q.toString();
    }

    /** QEMU's parse_cmdline: the words of a line, or null if one is malformed. */
    static List<String> words(String s) {
        List<String> words = new ArrayList<>();
        int[] p = {0};
        while (skipSpaces(s, p[0]) < s.length()) {
            if (words.size() >= 16) {
                return null;
            }
            String w = getStr(s, p);
            if (w == null) {
                return null;
            }
            words.add(w);
        }
        return words;
    }

    static int skipSpaces(String s, int p) {
        while (p < s.length() && isSpace(s.charAt(p))) {
            p++;
        }
        return p;
    }

    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    // ---- help (QEMU's help_cmd_dump) ----

    /** Lists the commands {@code args[index..]} select, each line prefixed by {@code args[0..index)}. */
    void help(HmpOutput out, List<String> args, int index) {
        String prefix = String.join(
                "", args.subList(0, index).stream().map(a -> a + " ").toList());
        if (index >= args.size()) {
            for (Command c : commands) {
                out.print(prefix + c.name() + " " + c.params() + " -- " + c.help() + "\n");
            }
            return;
        }
        Command c = find(args.get(index));
        if (c == null) {
            out.print("unknown command: '" + String.join(" ", args.subList(0, index + 1)) + "'\n");
        } else if (c.subTable() != null) {
            c.subTable().help(out, args, index + 1);
        } else {
            out.print(prefix + c.name() + " " + c.params() + " -- " + c.help() + "\n");
        }
    }

    // ---- completion (QEMU's monitor_find_completion) ----

    /** Completions for a line up to the cursor. */
    Readline.Completion complete(String lineBeforeCursor) {
        List<String> args = words(lineBeforeCursor);
        if (args == null) {
            return new Readline.Completion(0, List.of());
        }
        if (!lineBeforeCursor.isEmpty() && isSpace(lineBeforeCursor.charAt(lineBeforeCursor.length() - 1))) {
            args.add("");
        }
        return complete(args, this);
    }

    private Readline.Completion complete(List<String> args, HmpCommandTable top) {
        if (args.size() <= 1) {
            String typed = args.isEmpty() ? "" : args.get(0);
            List<String> found = new ArrayList<>();
            for (Command c : commands) {
                for (String alias : c.name().split("\\|", -1)) {
                    if (alias.startsWith(typed)) {
                        found.add(alias);
                    }
                }
            }
            return new Readline.Completion(typed.length(), found);
        }
        Command c = find(args.get(0));
        if (c == null) {
            return new Readline.Completion(0, List.of());
        }
        if (c.subTable() != null) {
            return c.subTable().complete(args.subList(1, args.size()), top);
        }
        if (c.answersTo("help")) {
            return top.complete(args.subList(1, args.size()), top);
        }
        if (c.argValues() != null && args.size() == 2) {
            String typed = args.get(1);
            return new Readline.Completion(
                    typed.length(),
                    c.argValues().get().stream()
                            .filter(v -> v.startsWith(typed))
                            .toList());
        }
        return new Readline.Completion(0, List.of());
    }
}
