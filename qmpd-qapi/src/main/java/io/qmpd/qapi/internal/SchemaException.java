package io.qmpd.qapi.internal;

/** A schema file that cannot be read: the message starts with {@code file:line: }. */
public final class SchemaException extends RuntimeException {

    public SchemaException(String message) {
        super(message);
    }
}
