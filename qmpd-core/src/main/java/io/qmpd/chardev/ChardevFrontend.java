package io.qmpd.chardev;

import java.nio.ByteBuffer;

/**
 * The one user of a chardev (QEMU's CharBackend handlers): a monitor. Every callback runs on the
 * chardev's event loop thread, never two at once.
 */
public interface ChardevFrontend {

    /**
     * A client connected, or the backend was already open when this frontend attached (the event
     * is then synthesized, as QEMU's {@code qemu_chr_fe_set_handlers} does with sync_state).
     */
    void opened();

    /** The client went away (or the chardev is being destroyed while still attached). */
    void closed();

    /**
     * Bytes arrived. The frontend consumes as many as it wants; whatever it leaves in
     * {@code input} is kept by the chardev, which reads nothing more from its client until the
     * frontend calls {@link Chardev#acceptInput()} and then offers the kept bytes again first.
     * This is how a suspended monitor stops reading right after the request that suspended it.
     */
    void received(ByteBuffer input);
}
