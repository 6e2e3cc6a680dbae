package io.qmpd.command;

import io.qmpd.chardev.Chardev;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What {@code yank} can cut: every socket chardev, as QEMU 7.2 registers a yank instance
 * {@code {"type": "chardev", "id": ...}} for each one it opens, listed oldest first.
 *
 * <p>Thread-safe: the dispatcher {@linkplain #publish publishes} a new list whenever the chardevs
 * change, and {@code yank}/{@code query-yank} read the latest one from any thread (they are
 * {@code allow-oob} and run on the I/O thread when sent with {@code exec-oob}), never waiting
 * for the dispatcher.
 */
public final class YankInstances {

    /** Immutable; replaced as a whole. */
    private volatile List<Chardev> chardevs = List.of();

    /** Dispatcher: the chardevs now registered, in creation order. */
    public void publish(Collection<Chardev> all) {
        List<Chardev> sockets = new ArrayList<>();
        for (Chardev c : all) {
            if ("socket".equals(c.backendKind())) {
                sockets.add(c);
            }
        }
        chardevs = List.copyOf(sockets);
    }

    /** Any thread: the chardev instances, oldest first. */
    public List<Chardev> chardevs() {
        return chardevs;
    }

    /** Any thread: the socket chardev {@code id}, if it is a yank instance. */
    public Optional<Chardev> chardev(String id) {
        for (Chardev c : chardevs) {
            if (c.id().equals(id)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
