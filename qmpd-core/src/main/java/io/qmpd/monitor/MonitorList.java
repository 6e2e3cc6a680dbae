package io.qmpd.monitor;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every monitor of a server, in creation order (QEMU's {@code mon_list}). The event broadcaster
 * iterates it from any thread; a monitor unlinked here is skipped by every broadcast that starts
 * afterwards (and {@link Monitor#retire()} silences broadcasts already under way).
 *
 * <p>Adding, finding by id and unlinking cost O(1) whatever the number of monitors (10,000
 * bystanders must not slow a {@code monitor-add}/{@code monitor-remove} cycle down). Iteration
 * walks an immutable list of the monitors, built on the first iteration after a change and shared
 * by every iteration until the next change: each iteration sees one consistent list.
 *
 * <p>Threads: mutations on the dispatcher only; {@link #find}, {@link #contains}, iteration and
 * {@link #snapshot()} from any thread. The state is guarded by this object's lock; the published
 * list is immutable.
 */
public final class MonitorList implements Iterable<Monitor> {

    /** Creation order; membership by identity (monitors do not override equals). */
    private final Set<Monitor> monitors = new LinkedHashSet<>();
    /** The monitors that have an id, by id. */
    private final Map<String, Monitor> byId = new HashMap<>();
    /** {@code monitors} as an immutable list, or null after a change until the next read. */
    private List<Monitor> published = List.of();

    /** Dispatcher: appends a monitor that is attached to its chardev. */
    public synchronized void add(Monitor monitor) {
        if (monitors.add(monitor)) {
            if (monitor.id() != null) {
                byId.putIfAbsent(monitor.id(), monitor);
            }
            published = null;
        }
    }

    /** The monitor with this id (monitors without an id never match). */
    public synchronized Optional<Monitor> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Whether {@code monitor} is in the list (not yet unlinked). */
    public synchronized boolean contains(Monitor monitor) {
        return monitors.contains(monitor);
    }

    /**
     * Dispatcher: removal step "unlink": the monitor leaves the list and sends no more events (the
     * caller then tells the dispatcher to forget it). Returns false if it was not in the list
     * (already removed).
     */
    public boolean unlink(Monitor monitor) {
        synchronized (this) {
            if (!monitors.remove(monitor)) {
                return false;
            }
            if (monitor.id() != null) {
                byId.remove(monitor.id(), monitor);
            }
            published = null;
        }
        monitor.retire();
        return true;
    }

    /** The monitors now, in creation order (immutable). */
    public synchronized List<Monitor> snapshot() {
        if (published == null) {
            published = List.copyOf(monitors);
        }
        return published;
    }

    public synchronized int size() {
        return monitors.size();
    }

    /** Dispatcher or teardown: forgets every monitor (they are detached by the caller). */
    public synchronized void clear() {
        monitors.clear();
        byId.clear();
        published = List.of();
    }

    /** Iterates {@link #snapshot()}: later changes do not show in a running iteration. */
    @Override
    public Iterator<Monitor> iterator() {
        return snapshot().iterator();
    }
}
