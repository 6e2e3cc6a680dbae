package io.qmpd.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.hmp.HmpCompletion;
import io.qmpd.hmp.HmpLineHandler;
import io.qmpd.hmp.Readline;
import io.qmpd.qapi.QmpException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The lines of one HMP monitor of the broker, run on QEMU with {@code human-monitor-command}: so
 * {@code help}, {@code info ...} and every other command are QEMU's own. QEMU runs each on a
 * monitor made for that one line, which forgets the CPU that {@code cpu N} chose; this handler
 * keeps it for its monitor and passes it as {@code cpu-index} with every later line, as QEMU's
 * own HMP monitor keeps its current CPU. Tab completion knows QEMU's commands and {@code info}
 * sub-commands, learnt from QEMU's {@code help}. Dispatcher-confined, as HMP lines are (completion
 * excepted: it reads only what is immutable).
 */
final class QemuHmpLines implements HmpLineHandler {

    /** Sends a command to QEMU (see {@link BrokerBackend}). */
    @FunctionalInterface
    interface Forward {
        CompletableFuture<JsonNode> call(String name, ObjectNode arguments, boolean oob);
    }

    private final Forward forward;
    /** {@code info chardev} of both sides (the broker's). */
    private final Supplier<CompletableFuture<String>> infoChardev;

    private final Runnable quitting;
    private final HmpCompletion completion;
    /** The CPU {@code cpu N} chose, or null for QEMU's default (the first). */
    private Long cpu;

    QemuHmpLines(
            Forward forward,
            Supplier<CompletableFuture<String>> infoChardev,
            Runnable quitting,
            HmpCompletion completion) {
        this.forward = forward;
        this.infoChardev = infoChardev;
        this.quitting = quitting;
        this.completion = completion;
    }

    @Override
    public Readline.Completion complete(String lineBeforeCursor) {
        return completion.complete(lineBeforeCursor);
    }

    @Override
    public CompletionStage<Answer> run(String line) {
        String command = firstWord(line);
        ObjectNode arguments = JsonNodeFactory.instance.objectNode().put("command-line", line);
        if (cpu != null) {
            arguments.put("cpu-index", cpu);
        }
        if (isInfoChardev(line)) {
            // QEMU's own would list only QEMU's side of the chardevs (ADR 12)
            return infoChardev.get().thenApply(text -> new Answer(text, false));
        }
        boolean quit = command.equals("quit") || command.equals("q");
        return forward.call("human-monitor-command", arguments, false).handle((output, failure) -> {
            if (failure != null) {
                // QEMU refuses the line as a whole (a CPU gone since 'cpu N', say): say so as HMP would
                return new Answer("Error: " + describe(failure) + "\n", false);
            }
            // QEMU's output already ends its lines with \r\n; the monitor adds the \r itself
            String text = output.asText().replace("\r\n", "\n");
            if (command.equals("cpu") && text.isEmpty()) {
                cpu = chosenCpu(line);
            }
            if (quit) {
                quitting.run();
            }
            return new Answer(text, quit);
        });
    }

    /** Whether {@code line} is HMP's {@code info chardev}. */
    static boolean isInfoChardev(String line) {
        String[] words = line.strip().split("\\s+");
        return words.length == 2 && words[0].equals("info") && words[1].equals("chardev");
    }

    private static String firstWord(String line) {
        String trimmed = line.stripLeading();
        int end = 0;
        while (end < trimmed.length() && !Character.isWhitespace(trimmed.charAt(end))) {
            end++;
        }
        return trimmed.substring(0, end);
    }

    /** The index QEMU accepted in {@code cpu N}; null (QEMU's default) if it is not a plain number. */
    private static Long chosenCpu(String line) {
        String argument = line.strip().substring(3).strip();
        try {
            return Long.decode(argument);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof QmpException e ? e.error().desc() : String.valueOf(cause.getMessage());
    }
}
