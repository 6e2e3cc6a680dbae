package io.qmpd.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.qapi.QmpException;
import java.util.List;

/**
 * Answers the commands the server's schema does not declare, in place of QEMU's
 * {@code CommandNotFound}, and the requests of declared ones that the registry
 * {@link CommandRegistry.Builder#divert diverts}: a back end that stands in front of something with
 * commands of its own (a real QEMU) forwards them. Only clients that finished negotiation reach it.
 *
 * <p>Its arguments are as the client sent them, unchecked: the schema does not know the command,
 * so the fallback (or what it forwards to) checks them. Like a {@link CommandHandler}, it returns
 * the {@code return} value or a {@link java.util.concurrent.CompletionStage} of it, and throws or
 * completes with a {@link QmpException} to answer with an error.
 */
@FunctionalInterface
public interface CommandFallback {

    Object handle(CommandContext context, String name, ObjectNode arguments);

    /**
     * The commands it answers, none by default. {@code query-commands} lists them first, in this
     * order, then the server's own that are not among them (a broker lists QEMU's commands as QEMU
     * does, then qmpd's additions); {@code exec-oob} of a name not listed is {@code CommandNotFound}.
     */
    default List<String> names() {
        return List.of();
    }

    /**
     * Whether the stages it returns for in-band requests complete in the order it was given the
     * requests (a broker's one connection to QEMU, which answers in order). A monitor then hands
     * its client's next request over without waiting for the previous answer, up to QEMU's 8, as
     * QEMU runs a client's queued commands back to back. Default false: one at a time.
     */
    default boolean answersInOrder() {
        return false;
    }

    /**
     * Whether handing {@code name} over neither blocks nor waits for the event loop (a broker's
     * forwarding queues it or writes a few bytes to QEMU): the loop that read the request may then
     * hand it over itself when the dispatcher is idle, as it runs inline commands, saving a thread
     * hand-over. Default false.
     */
    default boolean runsInline(String name) {
        return false;
    }

    /** Whether {@code exec-oob} may run {@code name}; none may unless the fallback says so. */
    default boolean allowsOob(String name) {
        return false;
    }
}
