package io.qmpd.command;

import io.qmpd.io.Descriptors;
import java.io.FileDescriptor;
import java.util.Optional;

/**
 * The descriptors of the monitor a command runs for: the one its client passed last (SCM_RIGHTS)
 * that no command took yet, and those it named with {@code getfd}. A back end that hands them
 * to another process takes them out and gives back what that process did not keep.
 * Thread-safe. The host, which runs commands without a monitor, has none.
 */
public interface SessionDescriptors {

    /** What a command run without a monitor sees: nothing to take; what is given back is closed. */
    SessionDescriptors NONE = new SessionDescriptors() {
        @Override
        public Optional<FileDescriptor> takeReceived() {
            return Optional.empty();
        }

        @Override
        public Optional<FileDescriptor> take(String name) {
            return Optional.empty();
        }

        @Override
        public void giveBack(String name, FileDescriptor fd) {
            Descriptors.close(fd);
        }
    };

    /** The descriptor the client passed last, if no command took it yet; the caller owns it. */
    Optional<FileDescriptor> takeReceived();

    /** The descriptor named {@code name}, removed from the monitor's names; the caller owns it. */
    Optional<FileDescriptor> take(String name);

    /**
     * Names {@code fd} {@code name} again, as {@code getfd} would; closes it instead once the
     * monitor is gone, or when the monitor holds as many names as it may.
     */
    void giveBack(String name, FileDescriptor fd);
}
