package io.qmpd.command;

import io.qmpd.event.EventBroadcaster;
import io.qmpd.machine.Machine;
import io.qmpd.monitor.Dispatcher;
import io.qmpd.monitor.VersionInfo;
import io.qmpd.qapi.Schema;

/**
 * What command handlers may act on: the server's parts, as the server wires them. Later issues
 * add the chardev and monitor registries here.
 */
public interface CommandEnvironment {

    VersionInfo version();

    Schema schema();

    CommandRegistry commands();

    EventBroadcaster events();

    Machine machine();

    Dispatcher dispatcher();

    /** Monitors that come and go, and the {@code /objects} container (dispatcher-confined). */
    MonitorHotplug hotplug();

    /** Shuts the server down (after the running command's reply has been written). */
    void quit();
}
