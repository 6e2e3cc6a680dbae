package io.qmpd.command;

import io.qmpd.io.Descriptors;
import io.qmpd.io.NameMemory;
import io.qmpd.monitor.Monitor;
import io.qmpd.qapi.QmpException;
import java.io.FileDescriptor;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The named descriptors of every monitor (QEMU's {@code mon->fds}): stored by {@code getfd},
 * closed by {@code closefd}, taken by an {@code fd} socket address, closed all at once when the
 * monitor is destroyed ({@link #closeAll}). Thread-safe (guarded by this).
 */
public final class MonitorFdTable {

    /**
     * Names one monitor may hold at once. QEMU sets none, but each holds a descriptor, and
     * descriptors are what every client's connection needs: one client must not take them all.
     */
    public static final int NAMES_PER_MONITOR = 256;

    private final Map<Monitor, Map<String, FileDescriptor>> byMonitor = new IdentityHashMap<>();
    private final NameMemory names;

    /** @param names what the names are charged to */
    public MonitorFdTable(NameMemory names) {
        this.names = names;
    }

    /**
     * Stores {@code fd} under {@code name}; a descriptor already stored under it is closed.
     *
     * @throws QmpException {@code too many file descriptors named by this monitor (limit 256)},
     *                      with {@code fd} closed, for a new name past the limit
     */
    public void put(Monitor monitor, String name, FileDescriptor fd) {
        FileDescriptor old;
        synchronized (this) {
            Map<String, FileDescriptor> fds = byMonitor.computeIfAbsent(monitor, m -> new HashMap<>());
            if (!fds.containsKey(name)) {
                if (fds.size() >= NAMES_PER_MONITOR) {
                    Descriptors.close(fd);
                    throw QmpException.generic("too many file descriptors named by this monitor (limit "
                            + NAMES_PER_MONITOR + ")");
                }
                try {
                    names.take(NameMemory.cost(name));
                } catch (QmpException e) {
                    Descriptors.close(fd);
                    throw e;
                }
            }
            old = fds.put(name, fd);
        }
        Descriptors.close(old);
    }

    /**
     * Removes and returns the descriptor (the caller owns it).
     *
     * @throws QmpException {@code File descriptor named 'x' has not been found}
     */
    public FileDescriptor take(Monitor monitor, String name) {
        FileDescriptor fd;
        synchronized (this) {
            Map<String, FileDescriptor> fds = byMonitor.get(monitor);
            fd = fds == null ? null : fds.remove(name);
        }
        if (fd == null) {
            throw QmpException.generic("File descriptor named '" + name + "' has not been found");
        }
        names.give(NameMemory.cost(name));
        return fd;
    }

    /** @throws QmpException {@code File descriptor named 'x' not found} */
    public void close(Monitor monitor, String name) {
        FileDescriptor fd;
        synchronized (this) {
            Map<String, FileDescriptor> fds = byMonitor.get(monitor);
            fd = fds == null ? null : fds.remove(name);
        }
        if (fd == null) {
            throw QmpException.generic("File descriptor named '" + name + "' not found");
        }
        names.give(NameMemory.cost(name));
        Descriptors.close(fd);
    }

    /** The monitor is destroyed: its descriptors are closed. */
    public void closeAll(Monitor monitor) {
        Map<String, FileDescriptor> fds;
        synchronized (this) {
            fds = byMonitor.remove(monitor);
        }
        if (fds != null) {
            fds.keySet().forEach(name -> names.give(NameMemory.cost(name)));
            fds.values().forEach(Descriptors::close);
        }
    }

    /** The server is shutting down: every monitor's descriptors are closed. */
    public void closeAll() {
        java.util.List<FileDescriptor> all = new java.util.ArrayList<>();
        synchronized (this) {
            byMonitor.values().forEach(fds -> {
                all.addAll(fds.values());
                fds.keySet().forEach(name -> names.give(NameMemory.cost(name)));
            });
            byMonitor.clear();
        }
        all.forEach(Descriptors::close);
    }

    /** How many descriptors {@code monitor} holds. */
    public synchronized int count(Monitor monitor) {
        Map<String, FileDescriptor> fds = byMonitor.get(monitor);
        return fds == null ? 0 : fds.size();
    }
}
