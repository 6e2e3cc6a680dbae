package io.qmpd.command;

import static io.qmpd.command.HotplugFixture.OK;
import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.chardev.Chardev;
import io.qmpd.chardev.TestChardev;
import io.qmpd.io.EventLoop;
import io.qmpd.server.ServerInternals;
import io.qmpd.testing.QmpTestClient;
import java.io.FileInputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hotplug commands churn is made of run inline (ADR 7) when the dispatcher is idle, and only
 * then: {@code monitor-add}, {@code monitor-remove}, {@code chardev-remove} of a chardev that
 * closes at once and {@code chardev-add} of a backend created at once. One that may block (a file
 * chardev on a FIFO opens only once a reader comes) runs on the dispatcher, so the loop keeps
 * serving every other client meanwhile.
 */
class InlineHotplugTest {

    private static final String LOOP = "qmpd-io-0";
    private static final String DISPATCHER = "qmpd-dispatcher";

    private final HotplugFixture f = new HotplugFixture();

    @AfterEach
    void close() {
        f.close();
    }

    /** A chardev without a client that records the threads its monitor's teardown and its close ran on. */
    private static final class RecordingChardev extends Chardev {
        private final boolean closesAtOnce;
        volatile String disconnectedOn;
        volatile String closedOn;

        RecordingChardev(String id, EventLoop loop, boolean closesAtOnce) {
            super(id, TestChardev.context(loop));
            this.closesAtOnce = closesAtOnce;
        }

        @Override
        public String backendKind() {
            return "null";
        }

        @Override
        public boolean isOpen() {
            return false;
        }

        @Override
        protected void output(byte[] bytes) {
            // no client
        }

        @Override
        public void disconnect() {
            disconnectedOn = Thread.currentThread().getName();
        }

        @Override
        public boolean closesAtOnce() {
            return closesAtOnce;
        }

        @Override
        protected void closeBackend() {
            closedOn = Thread.currentThread().getName();
        }
    }

    private RecordingChardev recording(String id, boolean closesAtOnce) {
        RecordingChardev chr = new RecordingChardev(id, ServerInternals.loop(f.t.server), closesAtOnce);
        f.t.server.addChardev(chr);
        return chr;
    }

    private void awaitIdleDispatcher() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!ServerInternals.dispatcher(f.t.server).isIdle()) {
            assertThat(System.nanoTime() - deadline)
                    .as("dispatcher idle within 5 s")
                    .isNegative();
            Thread.onSpinWait();
        }
    }

    private static String call(String command, String arguments) {
        return "{\"execute\": \"" + command + "\", \"arguments\": " + arguments + "}";
    }

    private static String call(String command, String arguments, int requestId) {
        return "{\"execute\": \"" + command + "\", \"arguments\": " + arguments + ", \"id\": " + requestId + "}";
    }

    @Test
    void onAnIdleServerMonitorRemoveAndChardevRemoveRunOnTheLoopThatReadThem() {
        RecordingChardev chr = recording("r", true);
        awaitIdleDispatcher();
        assertThat(f.ctl.call(call("monitor-add", "{\"id\": \"m\", \"chardev\": \"r\"}")))
                .isEqualTo(OK);
        awaitIdleDispatcher();
        assertThat(f.ctl.call(call("monitor-remove", "{\"id\": \"m\"}"))).isEqualTo(OK);
        assertThat(chr.disconnectedOn).isEqualTo(LOOP);
        awaitIdleDispatcher();
        assertThat(f.ctl.call(call("chardev-remove", "{\"id\": \"r\"}"))).isEqualTo(OK);
        assertThat(chr.closedOn).isEqualTo(LOOP);
    }

    @Test
    void aChardevWhoseCloseMayWaitIsRemovedOnTheDispatcher() {
        RecordingChardev chr = recording("r", false);
        awaitIdleDispatcher();
        assertThat(f.ctl.call(call("chardev-remove", "{\"id\": \"r\"}"))).isEqualTo(OK);
        assertThat(chr.closedOn).isEqualTo(DISPATCHER);
    }

    @Test
    void whileTheDispatcherIsBusyHotplugWaitsForItAndRunsThere() throws Exception {
        RecordingChardev chr = recording("r", true);
        QmpTestClient busy = f.cliMonitor("busy").negotiate();
        QmpTestClient o = f.cliMonitor("o").negotiateOob();
        busy.send("{\"execute\": \"x-block\", \"arguments\": {\"tag\": \"hold\"}}\n");
        assertThat(f.t.awaitBlockStarted()).isEqualTo("hold");
        o.send(call("chardev-remove", "{\"id\": \"r\"}") + "\n"
                + "{\"exec-oob\": \"x-oob-echo\", \"arguments\": {\"tag\": \"read\"}, \"id\": \"read\"}\n");
        // The out-of-band reply comes after the removal was read: it was read while the dispatcher was busy.
        assertThat(o.reply()).isEqualTo("{\"return\": {}, \"id\": \"read\"}\r\n");
        assertThat(chr.closedOn).as("not removed beside the blocked command").isNull();
        f.t.release();
        assertThat(busy.reply()).isEqualTo(OK);
        assertThat(o.reply()).isEqualTo(OK);
        assertThat(chr.closedOn).isEqualTo(DISPATCHER);
    }

    @Test
    void aChardevAddThatBlocksInOpenRunsOnTheDispatcherAndTheLoopServesOthersMeanwhile() throws Exception {
        Path fifo = f.dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();
        QmpTestClient o = f.cliMonitor("o").negotiateOob();
        awaitIdleDispatcher();
        // Opening a FIFO for writing waits for a reader: on the loop, it would stop every client,
        // and the out-of-band request read right after it would never be answered.
        o.send(call(
                        "chardev-add",
                        "{\"id\": \"ff\", \"backend\": {\"type\": \"file\", \"data\": {\"out\": \"" + fifo + "\"}}}",
                        1)
                + "\n"
                + "{\"exec-oob\": \"x-oob-echo\", \"arguments\": {\"tag\": \"alive\"}, \"id\": \"alive\"}\n");
        FileInputStream reader = null;
        try {
            assertThat(o.reply()).isEqualTo("{\"return\": {}, \"id\": \"alive\"}\r\n");
            reader = new FileInputStream(fifo.toFile()); // lets the open complete
            assertThat(o.reply()).isEqualTo("{\"return\": {}, \"id\": 1}\r\n");
            assertThat(f.ctl.call(call("chardev-remove", "{\"id\": \"ff\"}"))).isEqualTo(OK);
            assertThat(reader.read()).as("the writer closed: end of file").isEqualTo(-1);
        } finally {
            // A failed assertion must not leave the open (and the server's close) waiting forever.
            (reader != null ? reader : new FileInputStream(fifo.toFile())).close();
        }
    }

    @Test
    void inlineChurnOverQmpLeavesNothingBehind() {
        for (int i = 0; i < 200; i++) {
            Path path = f.path("c" + i);
            int id = 4 * i;
            HotplugFixture.expectOk(f.ctl, HotplugFixture.chardevAddUnixServer("c" + i, path, id), id);
            HotplugFixture.expectOk(f.ctl, HotplugFixture.monitorAdd("m" + i, "c" + i, id + 1), id + 1);
            QmpTestClient c = f.connect(path).negotiate();
            assertThat(c.call("{\"execute\": \"query-monitors\"}")).contains("\"id\": \"m" + i + "\"");
            HotplugFixture.expectOk(f.ctl, call("monitor-remove", "{\"id\": \"m" + i + "\"}", id + 2), id + 2);
            assertThat(c.drainToEof()).isEmpty();
            HotplugFixture.expectOk(f.ctl, call("chardev-remove", "{\"id\": \"c" + i + "\"}", id + 3), id + 3);
            assertThat(path).doesNotExist();
        }
        assertThat(f.ctl.call("{\"execute\": \"query-monitors\"}")).doesNotContain("\"id\": \"m");
        String chardevs = f.ctl.call("{\"execute\": \"query-chardev\"}");
        assertThat(chardevs.split("\"label\"", -1)).as(chardevs).hasSize(2); // ctl-chr alone
    }
}
