package io.qmpd.machine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.event.EventBroadcaster;
import io.qmpd.event.MonitorEvents;
import io.qmpd.qapi.Schema;
import io.qmpd.server.BackendHost;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated guest's answer to the power button, with and without a guest. */
class SimulatedMachineTest {

    /** Records what the machine asks of its server; runs nothing. */
    private static final class RecordingHost implements BackendHost {
        final List<Runnable> scheduled = new ArrayList<>();
        final EventBroadcaster events =
                new MonitorEvents(Schema.forBackend(List.of(MachineBackend.SCHEMA)), Clock.systemUTC(), List::of);

        @Override
        public EventBroadcaster events() {
            return events;
        }

        @Override
        public void schedule(Duration delay, Runnable task) {
            scheduled.add(task);
        }

        @Override
        public void execute(Runnable task) {
            scheduled.add(task);
        }

        @Override
        public boolean hasObject(String id) {
            return false;
        }

        @Override
        public boolean hasChardev(String id) {
            return false;
        }

        @Override
        public List<String> chardevIds() {
            return List.of();
        }

        @Override
        public JsonNode runOwn(String name, ObjectNode arguments) {
            throw new UnsupportedOperationException(name);
        }

        @Override
        public void exit() {
            throw new AssertionError("no exit expected");
        }

        @Override
        public void fail(String reason) {
            throw new AssertionError("no failure expected: " + reason);
        }
    }

    private static SimulatedMachine machine(int vcpus, RecordingHost host) {
        return new SimulatedMachine(
                new SimulatedMachine.Config(false, null, SimulatedMachine.NIL_UUID, vcpus, true, Duration.ZERO), host);
    }

    @Test
    void aMachineWithAGuestSchedulesTheGuestsShutdown() {
        RecordingHost host = new RecordingHost();
        SimulatedMachine m = machine(1, host);
        m.systemPowerdown();
        assertThat(host.scheduled).hasSize(1);
        host.scheduled.get(0).run();
        assertThat(m.runState()).isEqualTo(RunState.SHUTDOWN); // -no-shutdown: stopped, not ended
    }

    @Test
    void machineNoneHasNoGuestAndKeepsRunning() {
        RecordingHost host = new RecordingHost();
        SimulatedMachine m = machine(0, host);
        m.systemPowerdown();
        m.systemPowerdown();
        assertThat(host.scheduled).isEmpty();
        assertThat(m.runState()).isEqualTo(RunState.RUNNING);
    }
}
