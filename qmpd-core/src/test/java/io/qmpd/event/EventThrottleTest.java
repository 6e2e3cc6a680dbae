package io.qmpd.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.monitor.QmpMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/** Spec 7: QEMU's throttle on a virtual clock the test advances. */
class EventThrottleTest {

    /** Timers due at a virtual time; {@link #advance} runs those that fall due, in order. */
    private static final class VirtualTime implements EventThrottle.Scheduler {
        private record Due(long at, long seq, Runnable task) {}

        private final PriorityQueue<Due> timers = new PriorityQueue<>(
                (a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : Long.compare(a.seq(), b.seq()));
        private long now;
        private long seq;

        @Override
        public void schedule(long delayMillis, Runnable task) {
            timers.add(new Due(now + delayMillis, seq++, task));
        }

        void advance(long millis) {
            long until = now + millis;
            while (!timers.isEmpty() && timers.peek().at() <= until) {
                Due d = timers.poll();
                now = d.at();
                d.task().run();
            }
            now = until;
        }
    }

    private final VirtualTime time = new VirtualTime();
    private final EventThrottle throttle = new EventThrottle(EventThrottle.QEMU_RULES, time);
    private final List<String> delivered = new ArrayList<>();

    private void emit(String name, String tag, String keyMember, String key) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("tag", tag);
        if (keyMember != null) {
            data.put(keyMember, key);
        }
        ObjectNode msg = JsonNodeFactory.instance.objectNode();
        msg.put("event", name);
        msg.set("data", data);
        throttle.offer(
                name,
                data,
                new QmpMessage(msg),
                m -> delivered.add(time.now + ":" + m.value().get("event").asText() + ":"
                        + m.value().get("data").get("tag").asText()));
    }

    private void emit(String name, String tag) {
        emit(name, tag, null, null);
    }

    @Test
    void three_rtc_changes_within_100_ms_deliver_the_first_now_and_the_last_a_second_later() {
        emit("RTC_CHANGE", "1");
        time.advance(50);
        emit("RTC_CHANGE", "2");
        time.advance(50);
        emit("RTC_CHANGE", "3");
        assertThat(delivered).containsExactly("0:RTC_CHANGE:1");
        time.advance(899);
        assertThat(delivered).containsExactly("0:RTC_CHANGE:1");
        time.advance(1);
        assertThat(delivered).containsExactly("0:RTC_CHANGE:1", "1000:RTC_CHANGE:3");
    }

    @Test
    void a_quiet_period_drops_the_state_so_the_next_event_goes_at_once() {
        emit("WATCHDOG", "1");
        time.advance(1000); // timer fires with nothing stored: state dropped
        time.advance(500);
        emit("WATCHDOG", "2");
        assertThat(delivered).containsExactly("0:WATCHDOG:1", "1500:WATCHDOG:2");
    }

    @Test
    void a_steady_stream_gets_one_event_per_second_the_last_of_each_second() {
        for (int i = 0; i < 30; i++) {
            emit("BALLOON_CHANGE", String.valueOf(i));
            time.advance(100);
        }
        time.advance(2000);
        assertThat(delivered)
                .containsExactly(
                        "0:BALLOON_CHANGE:0",
                        "1000:BALLOON_CHANGE:9",
                        "2000:BALLOON_CHANGE:19",
                        "3000:BALLOON_CHANGE:29");
    }

    @Test
    void keyed_events_are_throttled_per_key() {
        emit("VSERPORT_CHANGE", "a1", "id", "a");
        emit("VSERPORT_CHANGE", "b1", "id", "b");
        emit("VSERPORT_CHANGE", "a2", "id", "a");
        time.advance(1000);
        assertThat(delivered)
                .containsExactly("0:VSERPORT_CHANGE:a1", "0:VSERPORT_CHANGE:b1", "1000:VSERPORT_CHANGE:a2");
    }

    @Test
    void block_io_error_that_stops_the_guest_and_unlisted_events_are_never_held() {
        emit("BLOCK_IO_ERROR", "r1", "action", "report");
        emit("BLOCK_IO_ERROR", "r2", "action", "report");
        emit("BLOCK_IO_ERROR", "s1", "action", "stop");
        emit("BLOCK_IO_ERROR", "s2", "action", "stop");
        emit("STOP", "x");
        emit("STOP", "y");
        assertThat(delivered)
                .containsExactly(
                        "0:BLOCK_IO_ERROR:r1", "0:BLOCK_IO_ERROR:s1", "0:BLOCK_IO_ERROR:s2", "0:STOP:x", "0:STOP:y");
    }
}
