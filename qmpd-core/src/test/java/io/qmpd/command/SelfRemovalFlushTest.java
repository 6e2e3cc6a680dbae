package io.qmpd.command;

import static io.qmpd.command.HotplugFixture.OK;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.QmpTestClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A monitor removing itself delivers every reply it queued, however large, before its client is closed. */
class SelfRemovalFlushTest {

    @Test
    void largeRepliesQueuedBeforeASelfRemovalAreDeliveredWholeThenEof() {
        try (HotplugFixture f = new HotplugFixture()) {
            Path path = f.dynamicMonitor("dyn");
            QmpTestClient c = f.connect(path).negotiate();
            String schema = c.call("{\"execute\": \"query-qmp-schema\"}");
            assertThat(schema).startsWith("{\"return\": [");
            // Twenty schema replies (far more than the socket buffers) then the removal, unread.
            c.send("{\"execute\": \"query-qmp-schema\"}\n".repeat(20)
                    + "{\"execute\": \"monitor-remove\", \"arguments\": {\"id\": \"dyn\"}}\n");
            awaitRemoved(f);
            List<String> lines = c.drainToEof();
            assertThat(lines).hasSize(21);
            assertThat(lines.subList(0, 20)).allMatch(schema::equals);
            assertThat(lines.get(20)).isEqualTo(OK);
            assertThat(schema.length() * 20L)
                    .as("bytes delivered after the removal")
                    .isGreaterThan(300_000);
        }
    }

    private static void awaitRemoved(HotplugFixture f) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (f.ctl.call("{\"execute\": \"query-monitors\"}").contains("\"dyn\"")) {
            assertThat(System.nanoTime()).as("dyn removed within 5 s").isLessThan(deadline);
        }
    }
}
