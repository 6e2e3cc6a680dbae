package io.qmpd.qapi;

/** Thrown by validation and by command handlers to answer a request with a {@link QmpError}. */
public final class QmpException extends RuntimeException {

    private final transient QmpError error;

    public QmpException(QmpError error) {
        super(error.desc(), null, false, false);
        this.error = error;
    }

    /** A {@code GenericError} with QEMU's text. */
    public static QmpException generic(String desc) {
        return new QmpException(QmpError.generic(desc));
    }

    public QmpError error() {
        return error;
    }
}
