package io.qmpd.monitor;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every monitor of a server, in creation order (QEMU's {@code mon_list}). The event broadcaster
 * iterates it from any thread; a monitor unlinked here is skipped by every broadcast that starts
 * afterwards (and {@link Monitor#retire()} silences broadcasts already under way).
 *
 * <p>Threads: mutations on the dispatcher only; iteration and {@link #snapshot()} from any thread
 * (copy-on-write, each iteration sees one consistent list).
 */
public final class MonitorList implements Iterable<Monitor> {

    private final List<Monitor> monitors = new CopyOnWriteArrayList<>();

    /** Dispatcher: appends a monitor that is attached to its chardev. */
    public void add(Monitor monitor) {
        monitors.add(monitor);
    }

    /** The monitor with this id (monitors without an id never match). */
    public Optional<Monitor> find(String id) {
        for (Monitor m : monitors) {
            if (id.equals(m.id())) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * Dispatcher: removal steps "unlink" and "no more pops": the monitor leaves the list, sends no
     * more events, and the dispatcher never serves its queue again. Returns false if it was not
     * in the list (already removed).
     */
    public boolean unlink(Monitor monitor, Dispatcher dispatcher) {
        if (!monitors.remove(monitor)) {
            return false;
        }
        monitor.retire();
        dispatcher.forget(monitor);
        return true;
    }

    /** The monitors now, in creation order. */
    public List<Monitor> snapshot() {
        return List.copyOf(monitors);
    }

    public int size() {
        return monitors.size();
    }

    /** Dispatcher or teardown: forgets every monitor (they are detached by the caller). */
    public void clear() {
        monitors.clear();
    }

    @Override
    public Iterator<Monitor> iterator() {
        return monitors.iterator();
    }
}
