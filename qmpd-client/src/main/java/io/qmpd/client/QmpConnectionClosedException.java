package io.qmpd.client;

/**
 * The connection ended (the server closed it, it broke, or the client disconnected) before the
 * reply arrived; every pending call fails with one of these, naming the command it waited for.
 */
public final class QmpConnectionClosedException extends QmpClientException {

    public QmpConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
