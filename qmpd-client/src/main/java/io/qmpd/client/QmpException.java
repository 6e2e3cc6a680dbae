package io.qmpd.client;

/** Base of the client's failures: the server's error replies, closed connections and protocol violations. */
public abstract class QmpException extends RuntimeException {

    protected QmpException(String message, Throwable cause) {
        super(message, cause);
    }
}
