package io.qmpd.io;

import org.slf4j.Logger;

/**
 * What happens when one of qmpd's own threads (an event loop, the dispatcher) must end because
 * of an error it cannot handle: an {@link Error} such as {@link OutOfMemoryError} out of a task
 * or a handler, or a selector that fails. Such a thread stops serving for good, so the process
 * must not go on as if nothing happened: every monitor behind it would be deaf.
 */
@FunctionalInterface
public interface FatalErrorHandler {

    /**
     * Called once on the dying thread, after the error has been logged. Must not block for long;
     * a handler that shuts the server down hands that to another thread.
     */
    void died(String threadName, Throwable cause);

    /**
     * Logs the death of a thread; a log call that itself fails (the heap may be full) is given
     * up, so that the handler still runs.
     */
    static void log(Logger log, String what, Throwable cause) {
        try {
            log.error(what, cause);
        } catch (Throwable ignored) { // nothing better can be done for a line that cannot be written
        }
    }

    /** Only the log line: for loops and dispatchers that tests run on their own. */
    FatalErrorHandler LOG_ONLY = (threadName, cause) -> {};
}
