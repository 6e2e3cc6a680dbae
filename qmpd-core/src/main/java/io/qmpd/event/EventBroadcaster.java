package io.qmpd.event;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Sends QMP events to every QMP monitor whose client finished negotiation. Writing is synchronous:
 * an event a command emits precedes that command's reply; an event emitted while another is being
 * sent on the same thread follows it, as in QEMU.
 *
 * <p>Thread-safe; meant to be called on the dispatcher (or, for OOB commands, the loop).
 */
public interface EventBroadcaster {

    /** Emits an event without data. */
    default void emit(String name) {
        emit(name, null);
    }

    /**
     * Emits {@code name} with {@code data} (null for none), stamped with the time now.
     *
     * @throws IllegalArgumentException if the schema has no such event or the data does not fit it
     */
    void emit(String name, ObjectNode data);

    /**
     * Writes an event formed elsewhere, as another QMP server sent it (its timestamp, name and
     * data kept): a back end in front of a real QEMU relays QEMU's events this way. Neither checked
     * nor throttled: its source did both.
     */
    void relay(ObjectNode event);
}
