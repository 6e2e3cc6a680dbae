package io.qmpd.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletionStage;

/**
 * Turns one parsed request into its reply (QEMU's {@code qmp_dispatch}): envelope checks, command
 * lookup in the monitor's current table, argument validation, the handler. Implemented by the
 * command layer; monitors only know this interface.
 *
 * <p>Called on the dispatcher thread for in-band requests (or on the event loop in its place, see
 * {@link #mayRunInline}) and on the event loop thread for {@code exec-oob} requests.
 */
@FunctionalInterface
public interface CommandDispatch {

    /**
     * @param caller  the monitor's client the request came from, or the host
     * @param request the parsed request, any JSON value
     * @param session the monitor session the request was read in (see {@link QmpMonitor#session()})
     * @return the reply, complete at once for most commands; a command that answers later
     *         completes it on any thread
     */
    CompletionStage<QmpReply> dispatch(Caller caller, JsonNode request, long session);

    /**
     * Whether {@code request} (in band, just parsed) names a command marked inline: one that,
     * for some or all arguments, neither blocks nor waits for the event loop. A cheap check on
     * the loop before it borrows the dispatcher ({@link Dispatcher#runIfIdle}); a request that
     * fails it is queued at once. Default: none.
     */
    default boolean mayRunInline(JsonNode request) {
        return false;
    }

    /**
     * For a request that passed {@link #mayRunInline}: whether it runs now, on the loop that read
     * it. Called while that loop holds the big lock in the dispatcher's place, so the answer may
     * depend on dispatcher-confined state (the command's condition); a request it declines is
     * queued. Default: {@link #mayRunInline}.
     */
    default boolean runsInline(JsonNode request) {
        return mayRunInline(request);
    }

    /**
     * Whether {@code request} (in band, from a negotiated client) goes to a back end that answers
     * requests in the order it is given them, so that the monitor may hand it over before the
     * answers to its earlier requests (also such) have come. Any thread, under the monitor's
     * queue lock: cheap, never blocking. Default: none.
     */
    default boolean pipelines(JsonNode request) {
        return false;
    }
}
