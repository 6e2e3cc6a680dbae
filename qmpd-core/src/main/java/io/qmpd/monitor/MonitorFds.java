package io.qmpd.monitor;

import io.qmpd.io.Descriptors;
import io.qmpd.io.NameMemory;
import io.qmpd.qapi.QmpException;
import java.io.FileDescriptor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One monitor's named descriptors (QEMU's {@code mon->fds}): stored by {@code getfd}, closed by
 * {@code closefd}, taken by an {@code fd} socket address, and all closed when the monitor is
 * destroyed. Names are charged to the server's {@link NameMemory}. Thread-safe (guarded by this).
 */
public final class MonitorFds {

    /**
     * Names one monitor may hold at once. QEMU sets none, but each holds a descriptor, and
     * descriptors are what every client's connection needs: one client must not take them all.
     */
    public static final int NAMES_PER_MONITOR = 1024;

    private final Map<String, FileDescriptor> byName = new HashMap<>();
    /** Set by {@link #closeAll}: the monitor is gone, and a descriptor put now is closed at once. */
    private boolean closed;

    private final NameMemory names;

    /** @param names what the names are charged to */
    public MonitorFds(NameMemory names) {
        this.names = names;
    }

    /**
     * Stores {@code fd} under {@code name}; a descriptor already stored under it is closed. Once
     * the monitor is gone ({@link #closeAll}), {@code fd} is closed instead.
     *
     * @throws QmpException {@code too many file descriptors named by this monitor (limit 1024)},
     *                      with {@code fd} closed, for a new name past the limit
     */
    public void put(String name, FileDescriptor fd) {
        FileDescriptor old;
        synchronized (this) {
            if (closed) {
                old = fd;
            } else {
                if (!byName.containsKey(name)) {
                    if (byName.size() >= NAMES_PER_MONITOR) {
                        Descriptors.close(fd);
                        throw QmpException.generic(
                                "too many file descriptors named by this monitor (limit " + NAMES_PER_MONITOR + ")");
                    }
                    try {
                        names.take(NameMemory.cost(name));
                    } catch (QmpException e) {
                        Descriptors.close(fd);
                        throw e;
                    }
                }
                old = byName.put(name, fd);
            }
        }
        Descriptors.close(old);
    }

    /**
     * Removes and returns the descriptor (the caller owns it).
     *
     * @throws QmpException {@code File descriptor named 'x' has not been found}
     */
    public FileDescriptor take(String name) {
        return takeIfPresent(name)
                .orElseThrow(() -> QmpException.generic("File descriptor named '" + name + "' has not been found"));
    }

    /** @throws QmpException {@code File descriptor named 'x' not found} */
    public void close(String name) {
        Descriptors.close(takeIfPresent(name)
                .orElseThrow(() -> QmpException.generic("File descriptor named '" + name + "' not found")));
    }

    /** Removes and returns the descriptor named {@code name}, if there is one (the caller owns it). */
    public Optional<FileDescriptor> takeIfPresent(String name) {
        FileDescriptor fd;
        synchronized (this) {
            fd = byName.remove(name);
        }
        if (fd != null) {
            names.give(NameMemory.cost(name));
        }
        return Optional.ofNullable(fd);
    }

    /** The monitor is destroyed (or the server stops): every descriptor is closed. */
    public void closeAll() {
        List<FileDescriptor> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(byName.values());
            byName.keySet().forEach(name -> names.give(NameMemory.cost(name)));
            byName.clear();
        }
        all.forEach(Descriptors::close);
    }

    /** How many descriptors the monitor holds. */
    public synchronized int count() {
        return byName.size();
    }
}
