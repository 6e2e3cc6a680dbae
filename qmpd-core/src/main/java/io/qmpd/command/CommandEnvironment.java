package io.qmpd.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmpd.chardev.ChardevBackends;
import io.qmpd.event.EventBroadcaster;
import io.qmpd.json.VersionInfo;
import io.qmpd.qapi.Schema;

/** What command handlers may act on: the server's parts, as the server wires them. */
public interface CommandEnvironment {

    VersionInfo version();

    Schema schema();

    CommandRegistry commands();

    EventBroadcaster events();

    /** The QOM type of {@code /machine}, as the back end names it ({@code qom-list}, {@code qom-get}). */
    String machineQomType();

    /** {@code query-qmp-schema}'s answer. */
    JsonNode introspection();

    /** The chardev backends this server serves (HMP's {@code chardev-add} reads its options with them). */
    ChardevBackends chardevBackends();

    /** Monitors that come and go, and the {@code /objects} container (dispatcher-confined). */
    MonitorHotplug hotplug();

    /** Shuts the server down (after the running command's reply has been written). */
    void quit();
}
