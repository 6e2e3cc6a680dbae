package io.qmpd.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.chardev.TestChardev;
import io.qmpd.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Spec 4.2/4.3: the queue of at most 8, suspension and resumption, OOB overtaking, disconnects. */
class FlowControlTest {

    private static final String BLOCK = "{\"execute\": \"x-block\", \"arguments\": {\"tag\": \"b\"}, \"id\": \"b\"}\n";

    private final TestServer t = new TestServer();

    @AfterEach
    void close() {
        t.close();
    }

    private static String name(Object id) {
        return "{\"execute\": \"query-name\", \"id\": " + id + "}\n";
    }

    private static String ok(Object id) {
        return "{\"return\": {}, \"id\": " + id + "}\r\n";
    }

    /** Bounded wait for a loop-side condition (each probe is a round trip through the loop). */
    private static void await(IntSupplier probe, int expected) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        int v;
        while ((v = probe.getAsInt()) != expected) {
            assertThat(System.nanoTime())
                    .as("waited for %d, last %d", expected, v)
                    .isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void without_oob_reading_stops_after_each_request_until_it_is_answered() throws Exception {
        TestChardev c = t.negotiated("c", false);
        String rest = name(1) + name(2);
        c.send(BLOCK + rest);
        // Reading stopped right after the '}' that completed x-block: its newline is unread too.
        // (The monitor may still be resuming from qmp_capabilities when the bytes arrive: then
        // they wait whole until it has, hence a bounded wait rather than one look.)
        await(c::keptBytes, 1 + rest.length());
        assertThat(t.awaitBlockStarted()).isEqualTo("b");
        assertThat(c.keptBytes()).isEqualTo(1 + rest.length());
        t.release();
        assertThat(c.next()).isEqualTo(ok("\"b\""));
        assertThat(c.next()).isEqualTo(ok(1));
        assertThat(c.next()).isEqualTo(ok(2));
        await(c::keptBytes, 0); // resumed once the last reply was queued
    }

    @Test
    void with_oob_reading_stops_when_eight_are_queued_and_then_not_even_oob_is_read() throws Exception {
        TestChardev c = t.negotiated("c", true);
        StringBuilder queued = new StringBuilder();
        for (int i = 0; i < QmpMonitor.QUEUE_MAX; i++) {
            queued.append(name(i));
        }
        String oob = "{\"exec-oob\": \"x-oob-echo\", \"id\": \"oob\"}\n";
        c.send(BLOCK + queued + oob);
        assertThat(t.awaitBlockStarted()).isEqualTo("b");
        // x-block runs; eight wait in the queue; the OOB request stays unread.
        await(c::keptBytes, 1 + oob.length());
        assertThat(c.pending()).isZero();
        t.release();
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < QmpMonitor.QUEUE_MAX + 2; i++) {
            replies.add(c.next());
        }
        assertThat(replies).contains(ok("\"oob\""));
        replies.remove(ok("\"oob\""));
        List<String> inBand = new ArrayList<>(List.of(ok("\"b\"")));
        for (int i = 0; i < QmpMonitor.QUEUE_MAX; i++) {
            inBand.add(ok(i));
        }
        assertThat(replies).containsExactlyElementsOf(inBand);
    }

    @Test
    void exec_oob_overtakes_queued_in_band_requests() throws Exception {
        TestChardev c = t.negotiated("c", true);
        c.send(BLOCK + name("\"q\"") + "{\"exec-oob\": \"x-oob-echo\", \"id\": \"oob\"}\n");
        t.awaitBlockStarted();
        assertThat(c.next()).isEqualTo(ok("\"oob\""));
        t.release();
        assertThat(c.next()).isEqualTo(ok("\"b\""));
        assertThat(c.next()).isEqualTo(ok("\"q\""));
    }

    @Test
    void disconnect_with_a_full_queue_drops_it_silently_and_the_next_client_starts_clean() throws Exception {
        TestChardev c = t.negotiated("c", true);
        StringBuilder queued = new StringBuilder();
        for (int i = 0; i < QmpMonitor.QUEUE_MAX + 3; i++) {
            queued.append(name(i));
        }
        c.send(BLOCK + queued + "{\"execute\": \"query-na");
        t.awaitBlockStarted();
        // x-block runs, 0..7 are queued, the rest stays unread.
        await(c::keptBytes, 1 + (name(8) + name(9) + name(10) + "{\"execute\": \"query-na").length());
        c.hangUp();
        assertThat(c.keptBytes()).isZero();
        t.release(); // the running command ends; its reply belongs to the old session
        c.connect();
        assertThat(c.next()).startsWith("{\"QMP\"");
        c.send("{\"execute\": \"qmp_capabilities\"}\n");
        assertThat(c.next()).isEqualTo("{\"return\": {}}\r\n");
        c.send(name(42));
        assertThat(c.next()).isEqualTo(ok(42));
        assertThat(c.pending()).isZero();
    }

    @Test
    void disconnect_while_a_request_runs_without_oob_resumes_reading_for_the_next_client() throws Exception {
        TestChardev c = t.negotiated("c", false);
        c.send(BLOCK + name(1));
        t.awaitBlockStarted();
        c.hangUp();
        c.connect();
        assertThat(c.next()).startsWith("{\"QMP\"");
        c.send("{\"execute\": \"qmp_capabilities\"}\n");
        t.release();
        assertThat(c.next()).isEqualTo("{\"return\": {}}\r\n");
        c.send(name(2));
        assertThat(c.next()).isEqualTo(ok(2));
        assertThat(c.pending()).isZero();
    }

    @Test
    void parse_errors_are_answered_in_band_in_order() throws Exception {
        TestChardev c = t.negotiated("c", true);
        c.send(BLOCK + "{\"execute\": }\n" + name(1));
        t.awaitBlockStarted();
        t.release();
        assertThat(c.next()).isEqualTo(ok("\"b\""));
        assertThat(c.next())
                .isEqualTo(
                        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expecting value\"}}\r\n");
        assertThat(c.next()).isEqualTo(ok(1));
    }
}
