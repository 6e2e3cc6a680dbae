package io.qmpd.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An event loop that polls before it sleeps ({@code pollMaxNanos}): it still serves I/O, tasks
 * and timers, closes while polling, and stops burning CPU once idle.
 */
class EventLoopPollTest {

    private static final long POLL_NANOS = 2_000_000; // 2 ms: long enough to be inside it often

    private EventLoop loop = new EventLoop("qmpd-io-poll-test", POLL_NANOS);
    private Pipe pipe;

    @AfterEach
    void stop() throws Exception {
        loop.close();
        loop.terminationFuture().get(10, TimeUnit.SECONDS);
        if (pipe != null) {
            pipe.sink().close();
            pipe.source().close();
        }
    }

    /** Closes the default loop and uses one with a window of {@code pollNanos} instead. */
    private void replaceLoop(long pollNanos) {
        loop.close();
        loop = new EventLoop("qmpd-io-poll-test", pollNanos);
    }

    /** A pipe whose readable end the loop drains; each byte read counts down {@code got}. */
    private CountDownLatch echo(int bytes) throws Exception {
        pipe = Pipe.open();
        CountDownLatch got = new CountDownLatch(bytes);
        CompletableFuture<Void> registered = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                loop.register(pipe.source(), SelectionKey.OP_READ, key -> {
                    ByteBuffer b = loop.readBuffer();
                    int n = pipe.source().read(b);
                    for (int i = 0; i < n; i++) {
                        got.countDown();
                    }
                });
                registered.complete(null);
            } catch (Exception e) {
                registered.completeExceptionally(e);
            }
        });
        registered.get(10, TimeUnit.SECONDS);
        return got;
    }

    @Test
    void bytesTasksAndTimersArriveWhileTheLoopPolls() throws Exception {
        CountDownLatch got = echo(1_000);
        CountDownLatch tasks = new CountDownLatch(1_000);
        for (int i = 0; i < 1_000; i++) {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            loop.execute(tasks::countDown); // from another thread, often inside a poll window
        }
        CountDownLatch timer = new CountDownLatch(1);
        loop.schedule(5, timer::countDown);
        assertThat(got.await(10, TimeUnit.SECONDS)).as("every byte read").isTrue();
        assertThat(tasks.await(10, TimeUnit.SECONDS)).as("every task run").isTrue();
        assertThat(timer.await(10, TimeUnit.SECONDS)).as("the timer fired").isTrue();
    }

    @Test
    void anIdleLoopSleepsAfterItsPollWindow() throws Exception {
        CountDownLatch got = echo(1);
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long id = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("qmpd-io-poll-test")).findFirst().orElseThrow().getId();
        Thread.sleep(50); // past the window that began with the byte
        long before = threads.getThreadCpuTime(id);
        Thread.sleep(500);
        long used = threads.getThreadCpuTime(id) - before;
        // a loop that kept polling would use about the whole 500 ms
        assertThat(used).as("CPU the idle loop used in 500 ms, ns").isLessThan(100_000_000L);
    }

    /**
     * Regression: the poll's selectNow() consumed the wake-up that close() gave, and the loop
     * then slept in select() for good after its window, with close() waiting on it.
     */
    @Test
    void closeEndsTheLoopWhileItPolls() throws Exception {
        replaceLoop(1_000_000_000L); // a 1 s window: close() lands inside it
        CountDownLatch got = echo(1);
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            loop.close();
            loop.terminationFuture().get();
        });
    }

    @Test
    void aTaskQueuedWhileTheLoopPollsRunsWithinTheWindow() throws Exception {
        replaceLoop(1_000_000_000L);
        CountDownLatch got = echo(1);
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch ran = new CountDownLatch(1);
        loop.execute(ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * Regression (found by the side-by-side benchmark, which hung at start-up): a wake-up the
     * poll consumed left the loop's "wake-up pending" flag set, so the next execute() from another
     * thread gave none, and the loop slept with that task queued. Hand-offs from other threads,
     * each waiting for the last, with a window short enough to end between them.
     */
    @Test
    void noTaskFromAnotherThreadIsLeftAsleep() throws Exception {
        replaceLoop(20_000);
        Runnable handOffs = () -> {
            for (int i = 0; i < 20_000; i++) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                loop.execute(() -> done.complete(null));
                try {
                    done.get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError("hand-off " + i + " not run within 10 s", e);
                }
            }
        };
        CompletableFuture<Void> a = CompletableFuture.runAsync(handOffs);
        CompletableFuture<Void> b = CompletableFuture.runAsync(handOffs);
        a.get(60, TimeUnit.SECONDS);
        b.get(60, TimeUnit.SECONDS);
    }

    @Test
    void aNegativeWindowIsRefused() {
        assertThatThrownBy(() -> new EventLoop("x", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
