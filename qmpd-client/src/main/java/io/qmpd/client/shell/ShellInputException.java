package io.qmpd.client.shell;

/** A line the shell cannot turn into a command; the message is qmp-shell's text for the problem. */
final class ShellInputException extends Exception {

    ShellInputException(String message) {
        super(message);
    }
}
