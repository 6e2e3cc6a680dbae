package io.qmpd.client;

/**
 * The server sent something that is not QMP (invalid JSON, a value that is not an object, a
 * message that is neither greeting, reply nor event). The client closes the connection, and every
 * pending call fails with one of these naming the command it waited for.
 */
public final class QmpProtocolException extends QmpClientException {

    public QmpProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
