package io.qmpd.hmp;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Runs HMP command lines and completes them (QEMU's {@code handle_hmp_command} and
 * {@code monitor_find_completion}). Implemented by the command layer; monitors only know this
 * interface.
 */
public interface HmpDispatch {

    /**
     * What a command line asks of its monitor once its output is written.
     *
     * @param keepSuspended the monitor must not prompt or read again ({@code quit})
     * @param afterOutput   actions to run once the output has been handed to the chardev
     */
    record Result(boolean keepSuspended, List<Runnable> afterOutput) {

        public static final Result DONE = new Result(false, List.of());

        public Result {
            afterOutput = List.copyOf(afterOutput);
        }
    }

    /**
     * Dispatcher thread: runs one command line, printing to {@code out}. The stage is complete at
     * once for a line run here; a line run elsewhere completes later, its output printed first.
     *
     * @param monitor the HMP monitor the line came from, or null for {@code human-monitor-command}
     * @param history the monitor's command history when the line was entered (empty without one)
     */
    CompletionStage<Result> execute(HmpMonitor monitor, String line, List<String> history, HmpOutput out);

    /** Any thread: completion candidates for the line before the cursor. */
    Readline.Completion complete(String lineBeforeCursor);

    /**
     * Runs every line with {@code lines} (a back end's: a broker runs them on QEMU), printing what
     * it answers and completing as it completes.
     */
    static HmpDispatch forwarding(HmpLineHandler lines) {
        return new HmpDispatch() {
            @Override
            public CompletionStage<Result> execute(
                    HmpMonitor monitor, String line, List<String> history, HmpOutput out) {
                return lines.run(line).thenApply(answer -> {
                    out.print(answer.text());
                    return answer.keepSuspended() ? new Result(true, List.of()) : Result.DONE;
                });
            }

            @Override
            public Readline.Completion complete(String lineBeforeCursor) {
                return lines.complete(lineBeforeCursor);
            }
        };
    }
}
