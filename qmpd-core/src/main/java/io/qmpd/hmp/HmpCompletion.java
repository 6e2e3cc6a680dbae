package io.qmpd.hmp;

import java.util.ArrayList;
import java.util.List;

/**
 * Tab completion for HMP lines that run elsewhere (a broker's, on QEMU), learnt from that HMP's
 * own {@code help} and {@code help info} text: command names and their aliases, {@code info}
 * sub-commands, and commands after {@code help}, completed as QEMU completes them. Arguments of
 * other commands are not completed. Immutable; any thread.
 */
public final class HmpCompletion {

    /** No candidates, ever. */
    public static final HmpCompletion NONE = new HmpCompletion(new HmpCommandTable(List.of()));

    private final HmpCommandTable table;

    private HmpCompletion(HmpCommandTable table) {
        this.table = table;
    }

    /**
     * From {@code help}'s lines ({@code name[|alias] args -- text}) and {@code help info}'s
     * ({@code info name args -- text}), as QEMU prints them.
     */
    public static HmpCompletion fromHelp(String help, String infoHelp) {
        List<HmpCommandTable.Command> info = new ArrayList<>();
        for (String line : infoHelp.split("\r?\n")) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 2 && words[0].equals("info")) {
                info.add(new HmpCommandTable.Command(words[1], "", "", "", null, null));
            }
        }
        HmpCommandTable infoTable = new HmpCommandTable(info);
        List<HmpCommandTable.Command> commands = new ArrayList<>();
        for (String line : help.split("\r?\n")) {
            String name = line.strip().split("\\s+")[0];
            if (name.isEmpty()) {
                continue;
            }
            boolean isInfo = List.of(name.split("\\|")).contains("info");
            commands.add(new HmpCommandTable.Command(name, "", "", "", null, isInfo ? infoTable : null));
        }
        return new HmpCompletion(new HmpCommandTable(commands));
    }

    /** The candidates for the line before the cursor. */
    public Readline.Completion complete(String lineBeforeCursor) {
        return table.complete(lineBeforeCursor);
    }
}
