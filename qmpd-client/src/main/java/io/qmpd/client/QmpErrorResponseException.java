package io.qmpd.client;

import java.util.Objects;

/**
 * The server answered a command with {@code {"error": {"class": ..., "desc": ...}}}; carries
 * QEMU's class (such as {@code GenericError} or {@code CommandNotFound}) and description as sent.
 */
public final class QmpErrorResponseException extends QmpClientException {

    private final String command;
    private final String errorClass;
    private final String desc;

    public QmpErrorResponseException(String command, String errorClass, String desc) {
        super(command + ": " + errorClass + ": " + desc, null);
        this.command = Objects.requireNonNull(command, "command");
        this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
        this.desc = Objects.requireNonNull(desc, "desc");
    }

    /** The command that failed. */
    public String command() {
        return command;
    }

    /** QEMU's error class, for example {@code GenericError}. */
    public String errorClass() {
        return errorClass;
    }

    /** QEMU's human-readable description, exactly as sent. */
    public String desc() {
        return desc;
    }
}
