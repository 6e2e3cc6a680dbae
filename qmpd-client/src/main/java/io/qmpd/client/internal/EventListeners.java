package io.qmpd.client.internal;

import io.qmpd.client.QmpEvent;
import io.qmpd.client.QmpEventListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The client's event listeners, each with an optional set of event names. Registration is
 * thread-safe; {@link #dispatch} runs on the callback executor and sees every listener registered
 * before the event's task was queued.
 */
public final class EventListeners {

    private static final System.Logger LOG = System.getLogger(EventListeners.class.getName());

    private record Entry(QmpEventListener listener, Set<String> names) {}

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    /** @return removes the listener again */
    public Runnable add(QmpEventListener listener, Set<String> names) {
        Entry entry = new Entry(listener, Set.copyOf(names));
        entries.add(entry);
        return () -> entries.remove(entry);
    }

    public int size() {
        return entries.size();
    }

    void dispatch(QmpEvent event) {
        for (Entry entry : entries) {
            if (entry.names().isEmpty() || entry.names().contains(event.name())) {
                try {
                    entry.listener().onEvent(event);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "event listener failed on " + event.name(), e);
                }
            }
        }
    }
}
