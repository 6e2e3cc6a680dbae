package io.qmpd.hmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.chardev.TestChardev;
import io.qmpd.io.EventLoop;
import io.qmpd.io.NameMemory;
import io.qmpd.json.VersionInfo;
import io.qmpd.monitor.Dispatcher;
import io.qmpd.monitor.MonitorMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replays QEMU 7.2's recorded HMP socket sessions (cases 121, 122, 123) through an
 * {@link HmpMonitor}: the greeting, every echo, the CR/LF handling, backspace, completion and the
 * prompts must come out byte for byte. The command output itself is taken from the recording (an
 * oracle dispatch), so these tests pin the monitor and readline, not the commands.
 */
class HmpMonitorReplayTest {

    private final EventLoop loop = new EventLoop("qmpd-io-test");
    private final Dispatcher dispatcher = new Dispatcher("qmpd-dispatcher-test");

    @AfterEach
    void stop() {
        dispatcher.close();
        loop.close();
    }

    /**
     * Answers the k-th line with what QEMU printed for it: the recording split at each prompt,
     * minus the echo up to the first CR LF. Completes "info ver" as QEMU's table does.
     */
    private static final class Oracle implements HmpDispatch {
        private final ConcurrentLinkedQueue<String> outputs = new ConcurrentLinkedQueue<>();
        final List<String> lines = new CopyOnWriteArrayList<>();

        Oracle(String recorded) {
            String[] segments = recorded.split(Pattern.quote(HmpMonitor.PROMPT), -1);
            for (int k = 1; k < segments.length - 1; k++) {
                String seg = segments[k];
                outputs.add(seg.substring(seg.indexOf("\r\n") + 2).replace("\r\n", "\n"));
            }
        }

        @Override
        public CompletionStage<Result> execute(HmpMonitor monitor, String line, List<String> history, HmpOutput out) {
            lines.add(line);
            byte[] b = outputs.remove().getBytes(StandardCharsets.ISO_8859_1);
            out.write(b, 0, b.length);
            return CompletableFuture.completedFuture(Result.DONE);
        }

        @Override
        public Readline.Completion complete(String lineBeforeCursor) {
            return lineBeforeCursor.equals("info ver")
                    ? new Readline.Completion(3, List.of("version"))
                    : new Readline.Completion(0, List.of());
        }
    }

    @ParameterizedTest(name = "{0}, byte by byte: {1}")
    @CsvSource({"121, false", "121, true", "122, false", "122, true", "123, false", "123, true"})
    void recordedSessionIsReproducedByteForByte(String prefix, boolean byteByByte) {
        RecordedHmpSession rec = RecordedHmpSession.load(prefix);
        Oracle oracle = new Oracle(rec.receivedText());
        TestChardev chr = new TestChardev("hmp0", loop, false);
        HmpMonitor mon = new HmpMonitor(
                "mon1", chr, false, RecordedHmpSession.QEMU_72, dispatcher, oracle, new NameMemory(Long.MAX_VALUE));
        chr.attach(mon);
        chr.connect();
        for (byte[] send : rec.sends()) {
            if (byteByByte) {
                for (byte b : send) {
                    chr.send(new byte[] {b});
                }
            } else {
                chr.send(send);
            }
        }
        StringBuilder seen = new StringBuilder();
        while (seen.length() < rec.receivedText().length()) {
            seen.append(chr.next());
        }
        assertThat(seen.toString()).isEqualTo(rec.receivedText());
        assertThat(chr.keptBytes()).isZero();
        assertThat(chr.pending()).isZero();
        assertThat(oracle.outputs).isEmpty();
    }

    @Test
    void greetingNamesTheConfiguredVersion() {
        assertThat(HmpMonitor.greeting(new VersionInfo(11, 0, 0, "qmpd")))
                .isEqualTo("QEMU 11.0.0 monitor - type 'help' for more information\n");
    }

    @Test
    void whileALineRunsElsewhereTheMonitorReadsNothingAndPromptsAfterTheOutput() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HmpDispatch blocking = new HmpDispatch() {
            @Override
            public CompletionStage<Result> execute(
                    HmpMonitor monitor, String line, List<String> history, HmpOutput out) {
                started.countDown();
                return CompletableFuture.supplyAsync(
                        () -> { // as a broker's QEMU answers: later, elsewhere
                            try {
                                release.await(5, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            out.print("ran " + line + "\n");
                            return Result.DONE;
                        });
            }

            @Override
            public Readline.Completion complete(String lineBeforeCursor) {
                return new Readline.Completion(0, List.of());
            }
        };
        TestChardev chr = new TestChardev("hmp0", loop, false);
        HmpMonitor mon = new HmpMonitor(
                null, chr, false, RecordedHmpSession.QEMU_72, dispatcher, blocking, new NameMemory(Long.MAX_VALUE));
        chr.attach(mon);
        chr.connect();
        assertThat(chr.next()).isEqualTo("QEMU 7.2.22 monitor - type 'help' for more information\r\n(qemu) ");
        chr.send("a\nb\n");
        assertThat(chr.next()).isEqualTo("a\033[K\r\n");
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(dispatcher.submit(() -> "free").get(5, TimeUnit.SECONDS))
                .as("the dispatcher serves others while the line runs elsewhere")
                .isEqualTo("free");
        chr.send("c");
        assertThat(chr.keptBytes()).isEqualTo(3); // "b\n" and "c" wait
        assertThat(chr.pending()).isZero();
        release.countDown();
        assertThat(chr.next()).isEqualTo("ran a\r\n(qemu) ");
        assertThat(chr.next()).isEqualTo("b\033[K\r\n");
        assertThat(chr.next()).isEqualTo("ran b\r\n(qemu) ");
        assertThat(chr.next()).isEqualTo("c\033[K");
        assertThat(chr.keptBytes()).isZero();
        assertThat(mon.mode()).isEqualTo(MonitorMode.readline);
    }
}
