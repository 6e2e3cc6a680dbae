package io.qmpd.qapi;

import java.util.Objects;

/** An error as a QMP reply carries it: QEMU's class and QEMU's exact text. */
public record QmpError(ErrorClass errorClass, String desc) {

    public QmpError {
        Objects.requireNonNull(errorClass, "errorClass");
        Objects.requireNonNull(desc, "desc");
    }

    public static QmpError generic(String desc) {
        return new QmpError(ErrorClass.GenericError, desc);
    }
}
