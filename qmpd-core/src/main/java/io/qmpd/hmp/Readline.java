package io.qmpd.hmp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * QEMU's line editor for HMP monitors ({@code util/readline.c}), byte for byte: after every input
 * byte it redraws what changed (cursor back with {@code ESC[D} over the shown text, the whole
 * buffer, {@code ESC[K}; cursor moves with {@code ESC[C}/{@code ESC[D}). Keys: printable bytes
 * insert, CR or LF ends the line (so CR LF gives a line and then an empty one, as in QEMU),
 * DEL/BS delete backwards, ^A/^E start/end, ^D delete forward, ^W delete a word, TAB completes,
 * {@code ESC[A}/{@code ESC[B} history, {@code ESC[C}/{@code ESC[D} cursor, {@code ESC[1~}/
 * {@code ESC[4~}/{@code ESC OH}/{@code ESC OF} home/end, {@code ESC[3~} delete.
 *
 * <p>Confined to one thread (the monitor's event loop). Bytes are kept as bytes; lines are handed
 * out decoded as UTF-8.
 */
public final class Readline {

    /** QEMU's READLINE_CMD_BUF_SIZE: longer lines are cut. */
    public static final int CMD_BUF_SIZE = 4095;
    /** QEMU's READLINE_MAX_CMDS: history entries kept. */
    public static final int MAX_HISTORY = 64;
    /** QEMU's READLINE_MAX_COMPLETIONS. */
    public static final int MAX_COMPLETIONS = 256;

    /** Candidates for the word before the cursor; {@code index} is how much of it is typed already. */
    public record Completion(int index, List<String> candidates) {
        public Completion {
            candidates = List.copyOf(candidates);
        }
    }

    /** Finds completions for the line up to the cursor (QEMU's completion_finder). */
    @FunctionalInterface
    public interface Completer {
        Completion complete(String lineBeforeCursor);
    }

    private enum EscState {
        NORM,
        ESC,
        CSI,
        SS3
    }

    private final String prompt;
    private final Completer completer;
    private final byte[] buf = new byte[CMD_BUF_SIZE + 1];
    private final byte[] lastBuf = new byte[CMD_BUF_SIZE + 1];
    private int size;
    private int index;
    private int lastSize;
    private int lastIndex;
    private EscState esc = EscState.NORM;
    private int escParam;
    /** QEMU's history slots: filled from 0, null after the last entry. Latin-1 strings keep bytes. */
    private final String[] history = new String[MAX_HISTORY];

    private int histEntry = -1;

    public Readline(String prompt, Completer completer) {
        this.prompt = Objects.requireNonNull(prompt, "prompt");
        this.completer = Objects.requireNonNull(completer, "completer");
    }

    /** Prints the prompt and forgets what was shown of the line (QEMU's readline_show_prompt). */
    public void showPrompt(HmpOutput out) {
        out.print(prompt);
        lastIndex = 0;
        lastSize = 0;
        esc = EscState.NORM;
    }

    /** Empties the line being edited (a new client); history stays. */
    public void restart() {
        index = 0;
        size = 0;
    }

    /** The history, oldest first, as QEMU's {@code info history} lists it. */
    public List<String> history() {
        List<String> list = new ArrayList<>();
        for (String h : history) {
            if (h == null) {
                break;
            }
            list.add(new String(h.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }
        return list;
    }

    /**
     * Handles one input byte, printing the echo to {@code out}. Returns the finished line when the
     * byte was CR or LF, else null.
     */
    public String handleByte(int b, HmpOutput out) {
        int ch = b & 0xff;
        String line = null;
        switch (esc) {
            case NORM -> line = normal(ch, out);
            case ESC -> {
                if (ch == '[') {
                    esc = EscState.CSI;
                    escParam = 0;
                } else if (ch == 'O') {
                    esc = EscState.SS3;
                    escParam = 0;
                } else {
                    esc = EscState.NORM;
                }
            }
            case CSI -> csi(ch);
            case SS3 -> {
                if (ch == 'F') {
                    index = size;
                } else if (ch == 'H') {
                    index = 0;
                }
                esc = EscState.NORM;
            }
        }
        update(out);
        return line;
    }

    private String normal(int ch, HmpOutput out) {
        switch (ch) {
            case 1 -> index = 0;
            case 4 -> deleteChar();
            case 5 -> index = size;
            case 9 -> complete(out);
            case 10, 13 -> {
                String latin1 = new String(buf, 0, size, StandardCharsets.ISO_8859_1);
                addHistory(latin1);
                out.print("\n");
                index = 0;
                size = 0;
                lastIndex = 0;
                lastSize = 0;
                return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
            case 23 -> backwardWord();
            case 27 -> esc = EscState.ESC;
            case 127, 8 -> {
                if (index > 0) {
                    index--;
                    deleteChar();
                }
            }
            case 155 -> esc = EscState.CSI;
            default -> {
                if (ch >= 32) {
                    insert(ch);
                }
            }
        }
        return null;
    }

    private void csi(int ch) {
        switch (ch) {
            case 'A', 'F' -> historyUp();
            case 'B', 'E' -> historyDown();
            case 'D' -> index = Math.max(0, index - 1);
            case 'C' -> index = Math.min(size, index + 1);
            case '~' -> {
                switch (escParam) {
                    case 1 -> index = 0;
                    case 3 -> deleteChar();
                    case 4 -> index = size;
                    default -> {}
                }
            }
            default -> {
                if (ch >= '0' && ch <= '9') {
                    escParam = escParam * 10 + (ch - '0');
                    return; // stay in CSI
                }
            }
        }
        esc = EscState.NORM;
    }

    private void insert(int ch) {
        if (index < CMD_BUF_SIZE && size < CMD_BUF_SIZE) {
            System.arraycopy(buf, index, buf, index + 1, size - index);
            buf[index] = (byte) ch;
            size++;
            index++;
        }
    }

    private void deleteChar() {
        if (index < size) {
            System.arraycopy(buf, index + 1, buf, index, size - index - 1);
            size--;
        }
    }

    private void backwardWord() {
        if (index == 0 || index > size) {
            return;
        }
        int start = index - 1;
        while (start > 0 && isSpace(buf[start])) {
            start--;
        }
        while (start > 0) {
            if (isSpace(buf[start])) {
                start++;
                break;
            }
            start--;
        }
        if (start < index) {
            System.arraycopy(buf, index, buf, start, size - index);
            size -= index - start;
            index = start;
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private void update(HmpOutput out) {
        if (size != lastSize || !Arrays.equals(buf, 0, size, lastBuf, 0, size)) {
            for (int i = 0; i < lastIndex; i++) {
                out.print("\033[D");
            }
            out.write(buf, 0, size);
            out.print("\033[K");
            System.arraycopy(buf, 0, lastBuf, 0, size);
            lastSize = size;
            lastIndex = size;
        }
        if (index != lastIndex) {
            String move = index > lastIndex ? "\033[C" : "\033[D";
            for (int i = Math.abs(index - lastIndex); i > 0; i--) {
                out.print(move);
            }
            lastIndex = index;
        }
    }

    // ---- history (QEMU's slot logic) ----

    private void historyUp() {
        if (histEntry == 0) {
            return;
        }
        if (histEntry == -1) {
            int idx = 0;
            while (idx < MAX_HISTORY && history[idx] != null) {
                idx++;
            }
            histEntry = idx;
        }
        histEntry--;
        if (histEntry >= 0) {
            load(history[histEntry]);
        }
    }

    private void historyDown() {
        if (histEntry == -1) {
            return;
        }
        if (histEntry < MAX_HISTORY - 1 && history[++histEntry] != null) {
            load(history[histEntry]);
        } else {
            histEntry = -1;
            load("");
        }
    }

    private void load(String latin1) {
        byte[] b = latin1.getBytes(StandardCharsets.ISO_8859_1);
        int n = Math.min(b.length, CMD_BUF_SIZE);
        System.arraycopy(b, 0, buf, 0, n);
        size = n;
        index = n;
    }

    private void addHistory(String line) {
        if (line.isEmpty()) {
            return;
        }
        int idx;
        if (histEntry != -1 && history[histEntry].equals(line)) {
            idx = histEntry; // editing an entry and left it unchanged: move it to the end
        } else {
            idx = 0;
            while (idx < MAX_HISTORY && history[idx] != null && !history[idx].equals(line)) {
                idx++;
            }
        }
        if (idx < MAX_HISTORY && history[idx] != null) {
            // An equal entry exists: take it out, the line goes to the end.
            System.arraycopy(history, idx + 1, history, idx, MAX_HISTORY - idx - 1);
            history[MAX_HISTORY - 1] = null;
            while (idx < MAX_HISTORY && history[idx] != null) {
                idx++;
            }
        }
        if (idx == MAX_HISTORY) {
            System.arraycopy(history, 1, history, 0, MAX_HISTORY - 1);
            history[MAX_HISTORY - 1] = null;
            idx = MAX_HISTORY - 1;
        }
        history[idx] = line;
        histEntry = -1;
    }

    // ---- completion ----

    private void complete(HmpOutput out) {
        Completion c = completer.complete(new String(buf, 0, index, StandardCharsets.ISO_8859_1));
        List<String> all = c.candidates();
        List<String> found = all.size() > MAX_COMPLETIONS ? all.subList(0, MAX_COMPLETIONS) : all;
        if (found.isEmpty()) {
            return;
        }
        if (found.size() == 1) {
            String only = found.get(0);
            for (int i = c.index(); i < only.length(); i++) {
                insert(only.charAt(i));
            }
            if (!only.isEmpty() && !only.endsWith("/")) {
                insert(' ');
            }
            return;
        }
        out.print("\n");
        int maxWidth = 0;
        int maxPrefix = 0;
        String first = found.get(0);
        for (int i = 0; i < found.size(); i++) {
            String s = found.get(i);
            if (i == 0) {
                maxPrefix = s.length();
            } else {
                maxPrefix = Math.min(maxPrefix, s.length());
                for (int j = 0; j < maxPrefix; j++) {
                    if (s.charAt(j) != first.charAt(j)) {
                        maxPrefix = j;
                    }
                }
            }
            maxWidth = Math.max(maxWidth, s.length());
        }
        for (int i = c.index(); i < maxPrefix; i++) {
            insert(first.charAt(i));
        }
        maxWidth = Math.max(10, Math.min(80, maxWidth + 2));
        int cols = 80 / maxWidth;
        int j = 0;
        for (int i = 0; i < found.size(); i++) {
            String s = found.get(i);
            out.print(s + " ".repeat(Math.max(0, maxWidth - s.length())));
            if (++j == cols || i == found.size() - 1) {
                out.print("\n");
                j = 0;
            }
        }
        showPrompt(out);
    }
}
