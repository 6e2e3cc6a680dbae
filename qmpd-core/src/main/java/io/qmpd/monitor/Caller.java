package io.qmpd.monitor;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a command runs for: the client of a QMP monitor, or the host itself (the daemon's command
 * line, HMP's own commands, an embedding program's {@code QmpServer.execute}), which has no
 * monitor, no session and no descriptors of its own.
 */
public sealed interface Caller permits Caller.Client, Caller.Host {

    /** The host. */
    Caller HOST = new Host();

    /** The monitor the command came through; empty for the host. */
    Optional<QmpMonitor> monitor();

    /** The client of a monitor, the command having come {@code through} it. */
    record Client(QmpMonitor through) implements Caller {
        public Client {
            Objects.requireNonNull(through, "through");
        }

        @Override
        public Optional<QmpMonitor> monitor() {
            return Optional.of(through);
        }
    }

    /** The host: see {@link #HOST}. */
    record Host() implements Caller {
        @Override
        public Optional<QmpMonitor> monitor() {
            return Optional.empty();
        }
    }
}
