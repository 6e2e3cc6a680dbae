package io.qmpd.client.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collection;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;

/** Where the shell's lines come from: a terminal with editing, history and completion, or plain input. */
interface LineSource extends AutoCloseable {

    /** @return the next line, or null at end of input */
    String readLine(String prompt) throws IOException;

    /** Offers {@code words} (command names) to tab completion, where there is completion. */
    void complete(Collection<String> words);

    @Override
    default void close() throws IOException {}

    /** Plain lines (stdin is not a terminal): the prompt is printed as Python's input() does. */
    static LineSource plain(BufferedReader in, PrintStream out) {
        return new LineSource() {
            @Override
            public String readLine(String prompt) throws IOException {
                out.print(prompt);
                out.flush();
                return in.readLine();
            }

            @Override
            public void complete(Collection<String> words) {}
        };
    }

    /** JLine on {@code terminal}: line editing, history in {@code historyFile} (may be null), tab completion. */
    static LineSource terminal(Terminal terminal, Path historyFile) {
        if (terminal.getWidth() <= 0) {
            // A pseudo-terminal nobody sized (say, script(1) fed from a pipe) reports 0 columns,
            // in which JLine cannot draw a prompt; assume the classic 80x24.
            terminal.setSize(new Size(80, 24));
        }
        StringsCompleter completer = new StringsCompleter();
        StringsCompleter[] current = {completer};
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .completer((reader, line, candidates) -> current[0].complete(reader, line, candidates));
        if (historyFile != null) {
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        }
        LineReader reader = builder.build();
        return new LineSource() {
            @Override
            public String readLine(String prompt) {
                try {
                    return reader.readLine(prompt);
                } catch (EndOfFileException | UserInterruptException e) {
                    return null;
                }
            }

            @Override
            public void complete(Collection<String> words) {
                current[0] = new StringsCompleter(words);
            }

            @Override
            public void close() throws IOException {
                reader.getHistory().save();
                terminal.close();
            }
        };
    }
}
