package io.qmpd.server;

import io.qmpd.chardev.ChardevRegistry;
import io.qmpd.command.MonitorHotplug;
import io.qmpd.io.EventLoop;
import io.qmpd.monitor.Dispatcher;
import io.qmpd.monitor.Monitor;
import java.util.List;

/**
 * The server's insides, for tests that drive them directly (in-memory chardevs on its loop, the
 * dispatcher's state, the chardev registry, the monitor hotplug): what the embedding API does not
 * show. In core's
 * test-jar, for qmpd-machine's tests and qmpd-bench.
 */
public final class ServerInternals {

    private ServerInternals() {}

    public static EventLoop loop(QmpServer server) {
        return server.loop();
    }

    /** The monitors themselves, in creation order. */
    public static List<Monitor> monitors(QmpServer server) {
        return server.monitorList();
    }

    public static Dispatcher dispatcher(QmpServer server) {
        return server.dispatcher();
    }

    /** Dispatcher-confined, as the server's own. */
    public static MonitorHotplug hotplug(QmpServer server) {
        return server.hotplug();
    }

    /** Dispatcher-confined, as the server's own. */
    public static ChardevRegistry chardevs(QmpServer server) {
        return server.chardevs();
    }
}
