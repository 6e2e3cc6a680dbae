package io.qmpd.client;

/** Base of the client's failures: the server's error replies, closed connections and protocol violations. */
public abstract class QmpClientException extends RuntimeException {

    protected QmpClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
