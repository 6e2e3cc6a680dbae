package io.qmpd.bench;

import io.qmpd.chardev.TestChardev;
import io.qmpd.machine.MachineBackend;
import io.qmpd.machine.SimulatedMachine;
import io.qmpd.server.QmpServer;
import io.qmpd.server.ServerInternals;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole in-band path of one request through a real {@link QmpServer}'s {@code QmpMonitor},
 * minus the socket: bytes handed to the monitor on the event loop (streaming parse, envelope
 * checks, queue), dispatch of the handler on the dispatcher thread, reply written, and the
 * benchmark thread woken by the reply. Two thread hand-offs per request, as on a real socket.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DispatchBenchmark {

    private static final byte[] QUERY_VERSION =
            "{\"execute\": \"query-version\", \"id\": 1}\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] QUERY_STATUS = "{\"execute\": \"query-status\"}\n".getBytes(StandardCharsets.UTF_8);

    private QmpServer server;
    private TestChardev chardev;

    @Setup(Level.Trial)
    public void setUp() {
        server = QmpServer.builder()
                .backend(MachineBackend.simulated(SimulatedMachine.Config.defaults()))
                .build()
                .start();
        chardev = new TestChardev("bench", ServerInternals.loop(server), true);
        server.addChardev(chardev);
        server.addQmpMonitor(null, "bench", false, false);
        chardev.connect();
        chardev.nextBytes(); // greeting
        chardev.send("{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}\n"
                .getBytes(StandardCharsets.UTF_8));
        String ok = chardev.next();
        if (!ok.startsWith("{\"return\": {}")) {
            throw new IllegalStateException("negotiation failed: " + ok);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        server.close();
    }

    @Benchmark
    public byte[] queryVersion() {
        chardev.sendAsync(QUERY_VERSION);
        return chardev.nextBytes();
    }

    @Benchmark
    public byte[] queryStatus() {
        chardev.sendAsync(QUERY_STATUS);
        return chardev.nextBytes();
    }
}
