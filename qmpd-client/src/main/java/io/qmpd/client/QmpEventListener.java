package io.qmpd.client;

/**
 * Receives events. Called on the client's callback executor, in the order the server sent the
 * events and interleaved in wire order with the completion of replies; never on the reader thread
 * and never while the client holds a lock. It must not block waiting for a reply (the reply is
 * completed by the same executor).
 */
@FunctionalInterface
public interface QmpEventListener {
    void onEvent(QmpEvent event);
}
