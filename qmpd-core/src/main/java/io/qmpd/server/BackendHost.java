package io.qmpd.server;

import io.qmpd.event.EventBroadcaster;
import java.time.Duration;

/**
 * What a {@link Backend} may ask of the server it is attached to: emit or relay events, run
 * something on the dispatcher later (a guest that answers after a while), and end the run (QEMU
 * leaving its main loop). The server implements it; any thread may call it.
 */
public interface BackendHost {

    EventBroadcaster events();

    /** Runs {@code task} on the dispatcher (qmpd's big lock) after {@code delay}, if the server still runs. */
    void schedule(Duration delay, Runnable task);

    /** Ends the run: the server closes, as after {@code quit} (the daemon then exits 0). */
    void exit();
}
