package io.qmpd.command;

import io.qmpd.chardev.Chardev;
import io.qmpd.chardev.ChardevRegistry;
import io.qmpd.monitor.Dispatcher;
import io.qmpd.monitor.Monitor;
import io.qmpd.monitor.MonitorInfo;
import io.qmpd.monitor.MonitorList;
import io.qmpd.monitor.MonitorMode;
import io.qmpd.monitor.QmpMonitor;
import io.qmpd.qapi.QmpException;
import io.qmpd.qom.ObjectContainer;
import io.qmpd.qom.UserObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Monitors that come and go: creation (command line, {@code monitor-add}, {@code object-add}),
 * removal in the order of {@code docs/concurrency.md} ("Monitors that come and go"), and
 * {@code close-action=delete}. Every monitor is also a child of {@code /objects}.
 *
 * <p>Confined to the dispatcher thread (qmpd's big lock), except {@link #deleteOnClose}, which
 * only hands work to the dispatcher.
 */
public final class MonitorHotplug {

    /** Makes a QMP monitor that is not attached yet. */
    @FunctionalInterface
    public interface QmpMonitorFactory {
        QmpMonitor create(String id, Chardev chardev, boolean dynamic, boolean pretty);
    }

    /** Makes an HMP monitor that is not attached yet (provided by the HMP side of the server). */
    @FunctionalInterface
    public interface HmpMonitorFactory {
        Monitor create(String id, Chardev chardev, boolean dynamic, boolean readline);
    }

    public static final String QMP_TYPE = "monitor-qmp";
    public static final String HMP_TYPE = "monitor-hmp";

    private final MonitorList monitors;
    private final ObjectContainer objects;
    private final ChardevRegistry chardevs;
    private final Dispatcher dispatcher;
    private final QmpMonitorFactory qmpFactory;
    private final HmpMonitorFactory hmpFactory;
    /** How many monitors may exist at once (qmpd's own cap; QEMU has none). */
    private final int limit;

    /** The default limit, {@value #DEFAULT_LIMIT} (above the 10,000-monitor target). */
    public static final int DEFAULT_LIMIT = 16_384;

    /**
     * @param hmpFactory null while the server has no HMP monitors
     * @param limit      how many monitors may exist at once (at least 1)
     */
    public MonitorHotplug(
            MonitorList monitors,
            ObjectContainer objects,
            ChardevRegistry chardevs,
            Dispatcher dispatcher,
            QmpMonitorFactory qmpFactory,
            HmpMonitorFactory hmpFactory,
            int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("monitor limit must be at least 1: " + limit);
        }
        this.limit = limit;
        this.monitors = Objects.requireNonNull(monitors, "monitors");
        this.objects = Objects.requireNonNull(objects, "objects");
        this.chardevs = Objects.requireNonNull(chardevs, "chardevs");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.qmpFactory = Objects.requireNonNull(qmpFactory, "qmpFactory");
        this.hmpFactory = hmpFactory;
    }

    public MonitorList monitors() {
        return monitors;
    }

    public ObjectContainer objects() {
        return objects;
    }

    /** The server's chardevs (for {@code qom-list /chardevs}). */
    public ChardevRegistry chardevs() {
        return chardevs;
    }

    // ---- creation ----

    /**
     * The seed's {@code monitor-add}: id rule, {@code monitor 'X' already exists}, a clash with
     * another object's name, {@code chardev 'X' not found}, the in-use error of attach.
     */
    public QmpMonitor monitorAdd(String id, String chardevId, boolean pretty) {
        ObjectContainer.requireIdentifier(id);
        if (monitors.find(id).isPresent()) {
            throw QmpException.generic("monitor '" + id + "' already exists");
        }
        objects.requireAbsent(id);
        requireRoom();
        Chardev chardev = chardevs.find(chardevId)
                .orElseThrow(() -> QmpException.generic("chardev '" + chardevId + "' not found"));
        return (QmpMonitor) attach(qmpFactory.create(id, chardev, true, pretty), id, QMP_TYPE);
    }

    /**
     * QEMU 11.1's {@code object-add qom-type=monitor-qmp}: id rule, duplicate name, then (as
     * QEMU's {@code complete}) {@code chardev "X" not found} and the in-use error.
     */
    public QmpMonitor objectAddQmp(String id, String chardevId, boolean pretty, boolean deleteOnClose) {
        return objectAddQmp(id, chardevId, pretty, deleteOnClose, true);
    }

    /** As {@link #objectAddQmp(String, String, boolean, boolean)}; {@code dynamic} false for {@code -object}. */
    public QmpMonitor objectAddQmp(
            String id, String chardevId, boolean pretty, boolean deleteOnClose, boolean dynamic) {
        ObjectContainer.requireIdentifier(id);
        objects.requireAbsent(id);
        requireRoom();
        QmpMonitor monitor = qmpFactory.create(id, chardevForMonitor(chardevId), dynamic, pretty);
        if (deleteOnClose) {
            monitor.onClientLeft(() -> deleteOnClose(monitor));
        }
        return (QmpMonitor) attach(monitor, id, QMP_TYPE);
    }

    /** QEMU 11.1's {@code object-add qom-type=monitor-hmp}. */
    public Monitor objectAddHmp(String id, String chardevId, boolean readline) {
        return objectAddHmp(id, chardevId, readline, true);
    }

    /** As {@link #objectAddHmp(String, String, boolean)}; {@code dynamic} false for {@code -object}. */
    public Monitor objectAddHmp(String id, String chardevId, boolean readline, boolean dynamic) {
        ObjectContainer.requireIdentifier(id);
        objects.requireAbsent(id);
        requireRoom();
        Chardev chardev = chardevForMonitor(chardevId);
        if (!readline) {
            // QEMU's readline=off monitor reads NUL-terminated command strings (gdbstub's use);
            // qmpd refuses it rather than accept it and edit lines anyway.
            throw QmpException.generic("monitor-hmp: readline=off is not supported by qmpd");
        }
        if (hmpFactory == null) {
            throw QmpException.generic("HMP support is not built in this QEMU");
        }
        return attach(hmpFactory.create(id, chardev, dynamic, readline), id, HMP_TYPE);
    }

    /**
     * A command-line monitor ({@code -mon}, {@code -qmp}, {@code -monitor}, {@code -object}):
     * not dynamic; without an id it is {@code /objects/compat_monitor<N>}.
     */
    public Monitor addCommandLine(Monitor monitor) {
        String name = monitor.id() != null ? monitor.id() : objects.compatName();
        objects.requireAbsent(name);
        requireRoom();
        return attach(monitor, name, monitor.mode() == MonitorMode.control ? QMP_TYPE : HMP_TYPE);
    }

    /**
     * Dispatcher: the ids the command line's monitors will take, before the first is created;
     * monitors without an id are then named around them (QEMU starts with {@code -mon chardev=X}
     * followed by {@code -qmp ...}, whose monitor is {@code compat_monitor0}).
     */
    public void keepIdsForCommandLine(Collection<String> ids) {
        objects.keepForCommandLine(ids);
    }

    /** {@code monitor limit reached (<n>)} once {@link #limit()} monitors exist. */
    private void requireRoom() {
        if (monitors.size() >= limit) {
            throw QmpException.generic("monitor limit reached (" + limit + ")");
        }
    }

    /** How many monitors may exist at once. */
    public int limit() {
        return limit;
    }

    /**
     * The chardev a command-line or object monitor names, with QEMU's text when there is none
     * ({@code chardev "X" not found}; the {@code monitor-add} command says it with single quotes).
     */
    public Chardev chardevForMonitor(String chardevId) {
        return chardevs.find(chardevId).orElseThrow(() -> noSuchChardev(chardevId));
    }

    /** QEMU's {@code chardev "X" not found} for a monitor (command line or object) naming no chardev. */
    public static QmpException noSuchChardev(String chardevId) {
        return QmpException.generic("chardev \"" + chardevId + "\" not found");
    }

    private Monitor attach(Monitor monitor, String name, String qomType) {
        objects.add(UserObject.monitor(name, qomType, monitor)); // the name taken, and charged, first
        try {
            monitor.chardev().attach(monitor);
        } catch (RuntimeException e) {
            objects.remove(name); // the in-use error leaves nothing behind
            throw e;
        }
        monitors.add(monitor);
        return monitor;
    }

    // ---- removal ----

    /**
     * The seed's {@code monitor-remove}: {@code monitor 'X' not found}, {@code monitor 'X' was not
     * dynamically added}; a monitor removing itself is destroyed only after its reply was written.
     *
     * @param afterReply registers work to run once the running command's reply has been written
     */
    public void monitorRemove(String id, Consumer<Runnable> afterReply) {
        Monitor monitor = monitors.find(id).orElseThrow(() -> QmpException.generic("monitor '" + id + "' not found"));
        if (!monitor.dynamic()) {
            throw QmpException.generic("monitor '" + id + "' was not dynamically added");
        }
        remove(monitor, afterReply);
    }

    /**
     * QEMU 11.1's {@code object-del}: unknown names, HMP monitors and the monitor being served
     * are refused; command-line QMP monitors may go.
     */
    public void objectDel(String id) {
        UserObject object = objects.find(id).orElseThrow(() -> QmpException.generic("object '" + id + "' not found"));
        Monitor monitor = object.monitor();
        if (monitor == null) {
            objects.remove(id);
            return;
        }
        if (monitor.mode() != MonitorMode.control) {
            throw QmpException.generic("Deleting HMP monitors is not supported");
        }
        if (dispatcher.current() == monitor) {
            throw QmpException.generic("Cannot delete the current QMP monitor");
        }
        remove(monitor, null);
    }

    /** Unlink, stop input, drop the queue, drop the client; deferred after the reply for the served monitor. */
    private void remove(Monitor monitor, Consumer<Runnable> afterReply) {
        objects.of(monitor).ifPresent(o -> objects.remove(o.name()));
        monitors.unlink(monitor);
        dispatcher.forget(monitor); // the dispatcher never serves its queue again
        if (afterReply != null && dispatcher.current() == monitor) {
            afterReply.accept(monitor::destroy);
        } else {
            monitor.destroy();
        }
    }

    /**
     * {@code close-action=delete} (loop thread, from the monitor's {@code closed}): the deletion
     * of monitor and chardev is handed to the dispatcher; a monitor removed meanwhile is left alone.
     */
    void deleteOnClose(QmpMonitor monitor) {
        try {
            dispatcher.execute(() -> {
                if (monitors.contains(monitor)) {
                    remove(monitor, null);
                    if (chardevs.find(monitor.chardev().id()).orElse(null) == monitor.chardev()) {
                        chardevs.remove(monitor.chardev().id());
                    }
                }
            });
        } catch (IllegalStateException e) {
            // The dispatcher is closing: the server's teardown releases monitor and chardev.
            return;
        }
    }

    // ---- introspection ----

    /** {@code query-monitors}: every monitor, in the order QEMU's prepend-while-walking yields (oldest first). */
    public List<MonitorInfo> queryMonitors() {
        List<MonitorInfo> list = new ArrayList<>();
        for (Monitor m : monitors) {
            list.add(m.info());
        }
        return list;
    }
}
