package io.qmpd.hmp;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Runs the command lines of one HMP monitor somewhere other than qmpd's own HMP commands: a broker
 * runs them on QEMU, so that {@code help}, {@code info ...} and every other command are QEMU's.
 * qmpd's readline stays in front (editing, history, the prompt). A back end makes one per monitor
 * (the server's back end makes them: {@code Backend.Attached.hmpLines()}), so per-monitor state such as the current
 * CPU of {@code cpu N} lives in it. Called on the dispatcher, one line at a time per monitor.
 */
@FunctionalInterface
public interface HmpLineHandler {

    /**
     * What a line printed, and whether the monitor must neither prompt nor read again (after
     * {@code quit}).
     */
    record Answer(String text, boolean keepSuspended) {
        public Answer {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Runs {@code line}; the stage completes with what to print (it must complete, errors included). */
    CompletionStage<Answer> run(String line);

    /** Tab completion of the line before the cursor; any thread. None by default. */
    default Readline.Completion complete(String lineBeforeCursor) {
        return HmpCompletion.NONE.complete(lineBeforeCursor);
    }
}
