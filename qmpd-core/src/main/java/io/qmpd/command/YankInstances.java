package io.qmpd.command;

import io.qmpd.chardev.Chardev;
import io.qmpd.chardev.ChardevRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code yank} can cut: every socket chardev, as QEMU 7.2 registers a yank instance
 * {@code {"type": "chardev", "id": ...}} for each one it opens, listed oldest first.
 *
 * <p>Any thread: {@code yank}/{@code query-yank} are {@code allow-oob} and run on the I/O thread
 * when sent with {@code exec-oob}; they read the registry's published list and never wait for
 * the dispatcher.
 */
public final class YankInstances {

    private final ChardevRegistry registry;

    public YankInstances(ChardevRegistry registry) {
        this.registry = registry;
    }

    /** The chardev instances, oldest first. */
    public List<Chardev> chardevs() {
        List<Chardev> sockets = new ArrayList<>();
        for (Chardev c : registry.all()) {
            if ("socket".equals(c.backendKind())) {
                sockets.add(c);
            }
        }
        return sockets;
    }

    /** The socket chardev {@code id}, if it is a yank instance. */
    public Optional<Chardev> chardev(String id) {
        for (Chardev c : chardevs()) {
            if (c.id().equals(id)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
