package io.qmpd.hmp;

import java.util.List;

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
     * Dispatcher thread: runs one command line, printing to {@code out}.
     *
     * @param monitor the HMP monitor the line came from, or null for {@code human-monitor-command}
     * @param history the monitor's command history when the line was entered (empty without one)
     */
    Result execute(HmpMonitor monitor, String line, List<String> history, HmpOutput out);

    /** Any thread: completion candidates for the line before the cursor. */
    Readline.Completion complete(String lineBeforeCursor);
}
