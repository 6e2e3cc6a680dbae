package io.qmpd.daemon;

/**
 * A bad command-line option or value. {@link #getMessage()} is the one line qmpd prints, in
 * QEMU's style: {@code qmpd: -mon chardev=x: chardev "x" not found}.
 */
public final class OptionException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param option the option as written ({@code -mon}), or null for errors about no option
     * @param arg    its argument, or null when the option takes none or it is missing
     * @param reason what is wrong, in QEMU's words
     */
    public OptionException(String option, String arg, String reason) {
        super("qmpd: " + (option == null ? "" : option + (arg == null ? "" : " " + arg) + ": ") + reason);
        this.reason = reason;
    }

    /** The message without the {@code qmpd: -option arg: } prefix. */
    public String reason() {
        return reason;
    }
}
