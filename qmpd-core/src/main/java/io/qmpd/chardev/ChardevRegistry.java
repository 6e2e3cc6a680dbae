package io.qmpd.chardev;

import io.qmpd.io.EventLoop;
import io.qmpd.io.NameMemory;
import io.qmpd.json.MemoryBound;
import io.qmpd.qapi.GHashTableOrder;
import io.qmpd.qapi.QmpException;
import java.io.FileDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every chardev by id, with QEMU's errors for duplicates, unknown ids and busy devices.
 *
 * <p>Changed only on the dispatcher thread (qmpd's big lock), like every registry; {@link #all()}
 * may be read from any thread (the OOB commands {@code yank}/{@code query-yank} do). Changes to
 * {@code byId} and the published list are made under this object's lock, which {@link #all()}
 * takes too; the dispatcher's own reads ({@link #find}) need no lock. Adding and removing are
 * O(1): the list {@link #all()} returns is built on its first call after a change, not on every
 * change (with 10,000 chardevs, a copy per change made chardev-add/remove O(N)).
 */
public final class ChardevRegistry implements AutoCloseable {

    private final Map<String, Chardev> byId = new LinkedHashMap<>();
    /** {@code byId}'s values as an immutable list, or null after a change until {@link #all()} builds it. */
    private List<Chardev> snapshot = List.of();
    /** The children table of QEMU's {@code /chardevs} container, for the order QEMU lists them in. */
    private final GHashTableOrder qomChildren = new GHashTableOrder();
    /** How many chardevs may exist at once (qmpd's own cap; QEMU has none). */
    private final int limit;

    private final NameMemory names;

    /** The default limit, {@value #DEFAULT_LIMIT} (room for 10,000 monitors and their chardevs). */
    public static final int DEFAULT_LIMIT = 16_384;

    /**
     * @param limit how many chardevs may exist at once (at least 1)
     * @param names what the ids are charged to
     */
    public ChardevRegistry(int limit, NameMemory names) {
        if (limit < 1) {
            throw new IllegalArgumentException("chardev limit must be at least 1: " + limit);
        }
        this.limit = limit;
        this.names = names;
    }

    public int limit() {
        return limit;
    }

    /**
     * Fails before anything is created for an id that is taken, or when the registry is full:
     * {@code Failed to add chardev '<id>': too many chardevs (limit <n>)}.
     */
    public void requireAbsent(String id) {
        if (byId.containsKey(id)) {
            throw QmpException.generic("Chardev with id '" + id + "' already exists");
        }
        if (byId.size() >= limit) {
            throw ChardevAddFailure.of(id, "too many chardevs (limit " + limit + ")");
        }
    }

    /**
     * @throws QmpException the id is taken, the registry full, or the id does not fit in the
     *                      memory for names ({@code Failed to add chardev 'x': memory for names ...})
     */
    public void add(Chardev chardev) {
        requireAbsent(chardev.id());
        try {
            names.take(NameMemory.cost(chardev.id()));
        } catch (QmpException e) {
            throw ChardevAddFailure.of(chardev.id(), e.getMessage());
        }
        synchronized (this) {
            byId.put(chardev.id(), chardev);
            snapshot = null;
        }
        qomChildren.insert(chardev.id());
    }

    public Optional<Chardev> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * What a backend opens a new chardev of this registry with: served on {@code loop}, its
     * descriptors by name from {@code descriptors}, its ring buffers within {@code ringbufMemory}.
     */
    public ChardevContext context(
            EventLoop loop, Function<String, FileDescriptor> descriptors, MemoryBound ringbufMemory) {
        return new ChardevContext(loop, descriptors, ringbufMemory, this::all);
    }

    /** All chardevs in the order they were added. Any thread. */
    public synchronized List<Chardev> all() {
        if (snapshot == null) {
            snapshot = List.copyOf(byId.values());
        }
        return snapshot;
    }

    /**
     * All chardevs in the order QEMU lists the children of {@code /chardevs}
     * ({@code query-chardev}, {@code info chardev}), which depends on the add/remove history.
     */
    public List<Chardev> qomOrder() {
        List<Chardev> out = new ArrayList<>(byId.size());
        for (String id : qomChildren.prependedOrder()) {
            out.add(byId.get(id));
        }
        return out;
    }

    /** Forgets and closes {@code id} whatever its frontend (chardev-change of a backend without one). */
    public void discard(String id) {
        Chardev chardev;
        synchronized (this) {
            chardev = byId.remove(id);
            snapshot = null;
        }
        if (chardev != null) {
            qomChildren.remove(id);
            names.give(NameMemory.cost(id));
            chardev.close();
        }
    }

    /**
     * Closes and forgets a chardev that no frontend uses.
     *
     * @throws QmpException {@code Chardev '<id>' not found} or {@code Chardev '<id>' is busy}
     */
    public void remove(String id) {
        Chardev chardev = byId.get(id);
        if (chardev == null) {
            throw QmpException.generic("Chardev '" + id + "' not found");
        }
        if (chardev.hasFrontend()) {
            throw QmpException.generic("Chardev '" + id + "' is busy");
        }
        synchronized (this) {
            byId.remove(id);
            snapshot = null;
        }
        qomChildren.remove(id);
        names.give(NameMemory.cost(id));
        chardev.close();
    }

    /** Closes every chardev (server shutdown), newest first. */
    @Override
    public void close() {
        List<Chardev> all;
        synchronized (this) {
            all = new ArrayList<>(byId.values());
            byId.clear();
            snapshot = List.of();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            names.give(NameMemory.cost(all.get(i).id()));
            all.get(i).close();
        }
    }
}
