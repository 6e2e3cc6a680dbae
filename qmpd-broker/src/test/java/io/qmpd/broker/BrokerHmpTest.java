package io.qmpd.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.testing.NothingLeaks;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An HMP monitor of the broker against an HMP monitor of the same QEMU 7.2: every line runs on
 * QEMU, so the bytes a client sees (echo, output, prompt) are the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NothingLeaks.class)
@Timeout(60)
class BrokerHmpTest {

    private static final String PROMPT = "(qemu) ";

    private BrokerFixture fixture;

    @BeforeAll
    void start() throws Exception {
        fixture = BrokerFixture.startOrSkip("qmpd-broker-hmp-");
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void everyLineIsQemusOwnThroughTheBroker() throws Exception {
        try (Hmp direct = new Hmp(fixture.dir.resolve("direct-hmp.sock"));
                Hmp broker = new Hmp(fixture.addHmpMonitor())) {
            assertThat(broker.untilPrompt()).isEqualTo(direct.untilPrompt());
            for (String line : List.of(
                    "info status",
                    "help",
                    "info",
                    "info version",
                    "cpu 0",
                    "info cpus",
                    "nonesuch",
                    "info nonesuch",
                    "stop",
                    "info status",
                    "qom-list /machine",
                    "cont",
                    "info status",
                    "stop")) {
                assertThat(broker.line(line)).as(line).isEqualTo(direct.line(line));
            }
        }
    }

    @Test
    void cpuChosenWithCpuNHoldsForItsMonitorOnlyAsOnQemu() throws Exception {
        List<String> twoCpus =
                List.of("-machine", "q35", "-accel", "tcg", "-smp", "2", "-nodefaults", "-display", "none", "-S");
        try (BrokerFixture cpus = BrokerFixture.startOrSkip("qmpd-broker-cpus-", twoCpus);
                Hmp direct = new Hmp(cpus.dir.resolve("direct-hmp.sock"));
                Hmp chosen = new Hmp(cpus.addHmpMonitor());
                Hmp other = new Hmp(cpus.addHmpMonitor())) {
            direct.untilPrompt();
            chosen.untilPrompt();
            other.untilPrompt();
            for (String line : List.of("cpu 1", "info cpus", "cpu 7", "info cpus")) {
                assertThat(chosen.line(line)).as(line).isEqualTo(direct.line(line));
            }
            assertThat(chosen.line("info cpus")).contains("* CPU #1");
            assertThat(other.line("info cpus"))
                    .as("another monitor keeps QEMU's default CPU")
                    .contains("* CPU #0");
        }
    }

    /** A raw HMP client: a line in, everything up to the next prompt out (bounded). */
    private static final class Hmp implements AutoCloseable {
        private final SocketChannel channel;
        private final StringBuilder seen = new StringBuilder();
        private final ExecutorService reader = Executors.newSingleThreadExecutor();

        Hmp(Path path) throws IOException {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(path));
        }

        String line(String line) throws Exception {
            channel.write(ByteBuffer.wrap((line + "\r").getBytes(StandardCharsets.UTF_8)));
            return untilPrompt();
        }

        /** What comes up to and including the next prompt. */
        String untilPrompt() throws Exception {
            Future<String> read = reader.submit(() -> {
                ByteBuffer buf = ByteBuffer.allocate(65536);
                while (!seen.toString().endsWith(PROMPT)) {
                    buf.clear();
                    if (channel.read(buf) < 0) {
                        throw new IOException("EOF after: " + seen);
                    }
                    seen.append(new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1));
                }
                String out = seen.toString();
                seen.setLength(0);
                return out;
            });
            return read.get(20, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            reader.shutdownNow();
            channel.close();
        }
    }
}
