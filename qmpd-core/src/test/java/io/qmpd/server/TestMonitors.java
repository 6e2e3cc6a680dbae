package io.qmpd.server;

import io.qmpd.chardev.TestChardev;

/**
 * A QMP monitor on an in-memory chardev of a started server, with a client connected or
 * negotiated: the set-up of the tests that drive one. In core's test-jar, for qmpd-machine's
 * tests too.
 */
public final class TestMonitors {

    private TestMonitors() {}

    /** A chardev {@code id} (oob offered) with a monitor of the same id; its client connected, the greeting unread. */
    public static TestChardev connected(QmpServer server, String id, boolean dynamic) {
        TestChardev chr = new TestChardev(id, ServerInternals.loop(server), true);
        server.addChardev(chr);
        server.addQmpMonitor(id, id, false, dynamic);
        chr.connect();
        return chr;
    }

    /** As {@link #connected}, greeted and negotiated ({@code oob} if asked); fails otherwise. */
    public static TestChardev negotiated(QmpServer server, String id, boolean dynamic, boolean oob) {
        TestChardev chr = connected(server, id, dynamic);
        String greeting = chr.next();
        if (!greeting.startsWith("{\"QMP\": ")) {
            throw new AssertionError("expected a greeting: " + greeting);
        }
        chr.send(
                oob
                        ? "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}\n"
                        : "{\"execute\": \"qmp_capabilities\"}\n");
        String ok = chr.next();
        if (!ok.equals("{\"return\": {}}\r\n")) {
            throw new AssertionError("negotiation failed: " + ok);
        }
        return chr;
    }
}
