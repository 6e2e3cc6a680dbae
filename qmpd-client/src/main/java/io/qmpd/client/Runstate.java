package io.qmpd.client;

/**
 * Where a {@link QmpClient} is in its connection's life (the states of qemu.qmp's
 * {@code Runstate}): {@code IDLE → CONNECTING → RUNNING → DISCONNECTING → IDLE}. A client that
 * is {@code IDLE} again may connect again.
 */
public enum Runstate {
    /** No connection. */
    IDLE,
    /** Socket connecting, greeting awaited, capabilities being negotiated. */
    CONNECTING,
    /** Commands may be sent; events are delivered. */
    RUNNING,
    /** The connection is ending: pending calls are failed, threads stop. */
    DISCONNECTING
}
