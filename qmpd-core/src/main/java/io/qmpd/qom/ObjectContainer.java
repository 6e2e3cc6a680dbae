package io.qmpd.qom;

import io.qmpd.io.NameMemory;
import io.qmpd.monitor.Monitor;
import io.qmpd.qapi.GHashTableOrder;
import io.qmpd.qapi.QmpException;
import io.qmpd.qapi.opts.QemuOptsList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code /objects} container: user-created objects by name, with QEMU's errors. Names are one
 * namespace for every object type, monitors made by {@code monitor-add} included.
 *
 * <p>Confined to the dispatcher thread (qmpd's big lock), like every registry.
 */
public final class ObjectContainer {

    /** QEMU's path of this container. */
    public static final String PATH = "/objects";

    private final Map<String, UserObject> byName = new LinkedHashMap<>();
    /** The objects that hold a monitor, by monitor (so removing a monitor is O(1)). */
    private final Map<Monitor, UserObject> byMonitor = new IdentityHashMap<>();
    /** The container's property table as GLib lays it out, for qom-list's order. */
    private final GHashTableOrder children = new GHashTableOrder();

    private int compatCounter;
    private final NameMemory names;
    /** Names that monitors still to be created on the command line will take. */
    private final Set<String> keptForCommandLine = new HashSet<>();

    /** QEMU's rule for ids (QemuOpts {@code id_wellformed}), as {@link QemuOptsList#isIdentifier}. */
    public static boolean isIdentifier(String id) {
        return QemuOptsList.isIdentifier(id);
    }

    /** @throws QmpException {@code Parameter 'id' expects an identifier} */
    public static void requireIdentifier(String id) {
        if (!isIdentifier(id)) {
            throw QmpException.generic("Parameter 'id' expects an identifier");
        }
    }

    /** @throws QmpException {@code attempt to add duplicate property '<id>' to object (type 'container')} */
    public void requireAbsent(String name) {
        if (byName.containsKey(name)) {
            throw QmpException.generic("attempt to add duplicate property '" + name + "' to object (type 'container')");
        }
    }

    /** @param names what the objects' names and secrets are charged to */
    public ObjectContainer(NameMemory names) {
        this.names = names;
    }

    /**
     * @throws QmpException the name is taken ({@link #requireAbsent}), or it does not fit in the
     *                      memory for names and values
     */
    public void add(UserObject object) {
        requireAbsent(object.name());
        names.take(cost(object));
        byName.put(object.name(), object);
        if (object.monitor() != null) {
            byMonitor.putIfAbsent(object.monitor(), object);
        }
        children.insert(object.name());
    }

    /**
     * A name for a command-line monitor given no id (QEMU 11.1's {@code compat_monitor<N>}, its own
     * counter), skipping names already taken.
     */
    public String compatName() {
        String name;
        do {
            name = "compat_monitor" + compatCounter++;
        } while (byName.containsKey(name) || keptForCommandLine.contains(name));
        return name;
    }

    /**
     * The ids of command-line monitors not created yet ({@code -qmp} takes {@code compat_monitorN}
     * itself): {@link #compatName()} skips them, so that an id-less {@code -mon} before them does
     * not take their name.
     */
    public void keepForCommandLine(Collection<String> ids) {
        keptForCommandLine.addAll(ids);
    }

    public Optional<UserObject> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The object that holds {@code monitor}, if any. */
    public Optional<UserObject> of(Monitor monitor) {
        return Optional.ofNullable(byMonitor.get(monitor));
    }

    public void remove(String name) {
        UserObject removed = byName.remove(name);
        if (removed != null) {
            names.give(cost(removed));
            if (removed.monitor() != null) {
                byMonitor.remove(removed.monitor(), removed);
            }
            children.remove(name);
        }
    }

    private static long cost(UserObject object) {
        return NameMemory.cost(object.name()) + (object.secret() == null ? 0 : object.secret().length);
    }

    /** Every object in the order QEMU's {@code qom-list} gives the container's children. */
    public List<UserObject> qomOrder() {
        List<UserObject> list = new ArrayList<>();
        for (String name : children.prependedOrder()) {
            list.add(byName.get(name));
        }
        return list;
    }

    /** Every object in the order of creation. */
    public List<UserObject> all() {
        return new ArrayList<>(byName.values());
    }

    /** Server shutdown. */
    public void clear() {
        for (String name : List.copyOf(byName.keySet())) {
            remove(name);
        }
    }
}
