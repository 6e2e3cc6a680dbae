package io.qmpd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.event.EventBroadcaster;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link Backend} may ask of the server it is attached to: emit or relay events, run
 * something on the dispatcher later (a guest that answers after a while), and end the run (QEMU
 * leaving its main loop). The server implements it; any thread may call it.
 */
public interface BackendHost {

    EventBroadcaster events();

    /** Runs {@code task} on the dispatcher (qmpd's big lock) after {@code delay}, if the server still runs. */
    void schedule(Duration delay, Runnable task);

    /**
     * Runs {@code task} holding the big lock, if the server still runs: at once when the caller
     * holds it or the dispatcher is idle, otherwise on the dispatcher after the tasks handed to it
     * already; in the order of the calls of a thread that does not hold the big lock. A back end
     * that relays events this way keeps them in order with the replies it completes from the same
     * thread. The task must neither block nor wait for the dispatcher.
     */
    void execute(Runnable task);

    /** Whether qmpd itself holds the user-creatable object {@code id} (a monitor object, say). Holding the big lock. */
    boolean hasObject(String id);

    /** Whether qmpd itself holds the chardev {@code id}. Holding the big lock. */
    boolean hasChardev(String id);

    /** The ids of qmpd's own chardevs, in the order they were made. Holding the big lock. */
    List<String> chardevIds();

    /**
     * Runs qmpd's own handler of {@code name} for the host (a query of what qmpd holds, say) and
     * returns its {@code return} value. Holding the big lock.
     *
     * @throws io.qmpd.qapi.QmpException the command's error
     */
    JsonNode runOwn(String name, ObjectNode arguments);

    /** Ends the run: the server closes, as after {@code quit} (the daemon then exits 0). */
    void exit();

    /**
     * Ends the run because the back end can no longer serve (the QEMU in front of which qmpd stands
     * went away): the server closes and {@link QmpServer#backendFailure()} gives {@code reason},
     * with which the daemon exits 1. The first reason wins.
     */
    void fail(String reason);
}
