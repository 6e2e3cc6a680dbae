package io.qmpd.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmpd.chardev.TestChardev;
import io.qmpd.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventBroadcasterTest {

    private static final String TS = "{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 123456}, ";

    private final TestServer t = new TestServer(true);

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void an_event_a_command_emits_precedes_its_reply_and_skips_negotiating_monitors() {
        TestChardev a = t.negotiated("a", false);
        TestChardev b = t.monitor("b", true, false);
        b.connect();
        b.next();
        a.send("{\"execute\": \"x-emit\", \"arguments\": {\"n\": 5}, \"id\": 1}\n");
        assertThat(a.next()).isEqualTo(TS + "\"event\": \"X_TEST_EVENT\", \"data\": {\"n\": 5}}\r\n");
        assertThat(a.next()).isEqualTo("{\"return\": {}, \"id\": 1}\r\n");
        assertThat(b.pending()).isZero();
        b.send("{\"execute\": \"qmp_capabilities\"}\n");
        assertThat(b.next()).isEqualTo("{\"return\": {}}\r\n"); // nothing was buffered for it
        a.send("{\"execute\": \"x-emit\", \"arguments\": {\"n\": 6}}\n");
        assertThat(b.next()).isEqualTo(TS + "\"event\": \"X_TEST_EVENT\", \"data\": {\"n\": 6}}\r\n");
    }

    @Test
    void stop_and_cont_emit_stop_and_resume_once() {
        TestChardev a = t.negotiated("a", false);
        a.send("{\"execute\": \"query-status\"}\n");
        assertThat(a.next())
                .isEqualTo("{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}}\r\n");
        a.send("{\"execute\": \"cont\", \"id\": \"c1\"}\n");
        assertThat(a.next()).isEqualTo(TS + "\"event\": \"RESUME\"}\r\n");
        assertThat(a.next()).isEqualTo("{\"return\": {}, \"id\": \"c1\"}\r\n");
        a.send("{\"execute\": \"stop\", \"id\": \"s1\"}\n");
        assertThat(a.next()).isEqualTo(TS + "\"event\": \"STOP\"}\r\n");
        assertThat(a.next()).isEqualTo("{\"return\": {}, \"id\": \"s1\"}\r\n");
        a.send("{\"execute\": \"stop\", \"id\": \"s2\"}\n");
        assertThat(a.next()).isEqualTo("{\"return\": {}, \"id\": \"s2\"}\r\n");
        a.send("{\"execute\": \"query-status\"}\n");
        assertThat(a.next())
                .isEqualTo("{\"return\": {\"status\": \"paused\", \"singlestep\": false, \"running\": false}}\r\n");
    }

    @Test
    void refuses_events_the_schema_lacks() {
        assertThatThrownBy(() -> t.server.events().emit("NO_SUCH_EVENT"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NO_SUCH_EVENT");
    }
}
