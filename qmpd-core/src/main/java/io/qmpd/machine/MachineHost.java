package io.qmpd.machine;

import io.qmpd.event.EventBroadcaster;
import java.time.Duration;

/**
 * What a machine may ask of the server that runs it: emit events, run something on the
 * dispatcher later (a guest that answers after a while), and end the process (QEMU leaving its
 * main loop after a guest shutdown). The server implements it; any thread may call it.
 */
public interface MachineHost {

    EventBroadcaster events();

    /** Runs {@code task} on the dispatcher (qmpd's big lock) after {@code delay}. */
    void schedule(Duration delay, Runnable task);

    /** Ends the run: the server closes, as after {@code quit} (the daemon then exits 0). */
    void exit();
}
