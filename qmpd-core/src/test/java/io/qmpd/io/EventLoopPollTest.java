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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An event loop that polls before it sleeps ({@code pollMaxNanos}): its window opens for work
 * that comes soon, it still serves I/O, tasks and timers, closes while polling, and stops burning
 * CPU once idle.
 */
class EventLoopPollTest {

    private static final long POLL_NANOS = 2_000_000; // 2 ms: long enough to be inside it often
    private static final String THREAD = "qmpd-io-poll-test";

    private EventLoop loop = new EventLoop(THREAD, POLL_NANOS, FatalErrorHandler.LOG_ONLY);
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
        loop = new EventLoop(THREAD, pollNanos, FatalErrorHandler.LOG_ONLY);
    }

    /** A pipe whose readable end the loop drains; each byte read releases one permit. */
    private Semaphore echo() throws Exception {
        pipe = Pipe.open();
        Semaphore got = new Semaphore(0);
        CompletableFuture<Void> registered = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                loop.register(
                        pipe.source(),
                        SelectionKey.OP_READ,
                        key -> got.release(pipe.source().read(loop.readBuffer())));
                registered.complete(null);
            } catch (Exception e) {
                registered.completeExceptionally(e);
            }
        });
        registered.get(10, TimeUnit.SECONDS);
        return got;
    }

    /** Writes one byte and waits until the loop has read it. */
    private void roundTrip(Semaphore got) throws Exception {
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertThat(got.tryAcquire(10, TimeUnit.SECONDS)).as("the byte read").isTrue();
    }

    /**
     * Replaces the default loop with one whose maximum is 1 s and opens its window to about a
     * quarter of a second: idle spells of 4 µs, 8 µs, ... 262 ms after bytes on a pipe, each
     * longer than the window it finds, double it each time.
     */
    private void openAPollingLoop() throws Exception {
        replaceLoop(1_000_000_000L);
        Semaphore got = echo();
        for (long spell = 4_000; spell <= 500_000_000; spell *= 2) {
            roundTrip(got);
            LockSupport.parkNanos(spell);
        }
        roundTrip(got); // the loop now polls for about 262 ms
    }

    private static long loopCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long id = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(THREAD))
                .findFirst()
                .orElseThrow()
                .getId();
        return threads.getThreadCpuTime(id);
    }

    @Test
    void bytesTasksAndTimersArriveWhileTheLoopPolls() throws Exception {
        Semaphore got = echo();
        CountDownLatch tasks = new CountDownLatch(1_000);
        for (int i = 0; i < 1_000; i++) {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            loop.execute(tasks::countDown); // from another thread, often inside a poll window
        }
        CountDownLatch timer = new CountDownLatch(1);
        loop.schedule(5, timer::countDown);
        assertThat(got.tryAcquire(1_000, 10, TimeUnit.SECONDS))
                .as("every byte read")
                .isTrue();
        assertThat(tasks.await(10, TimeUnit.SECONDS)).as("every task run").isTrue();
        assertThat(timer.await(10, TimeUnit.SECONDS)).as("the timer fired").isTrue();
    }

    /** The window grows with idle spells it could have caught: the loop then spins through a pause. */
    @Test
    void workThatComesSoonOpensTheWindow() throws Exception {
        openAPollingLoop();
        long before = loopCpuNanos();
        Thread.sleep(100); // inside the 262 ms window
        long used = loopCpuNanos() - before;
        // a loop asleep would use next to nothing; one that polls, most of the 100 ms
        assertThat(used).as("CPU the polling loop used in 100 ms, ns").isGreaterThan(30_000_000L);
    }

    @Test
    void anIdleLoopSleepsAfterItsPollWindow() throws Exception {
        openAPollingLoop();
        Thread.sleep(1_100); // past the longest window that began with the last byte
        long before = loopCpuNanos();
        Thread.sleep(500);
        long used = loopCpuNanos() - before;
        // a loop that kept polling would use about the whole 500 ms
        assertThat(used).as("CPU the idle loop used in 500 ms, ns").isLessThan(100_000_000L);
    }

    /** A client that pauses longer than the maximum window closes it: no CPU spent on polling. */
    @Test
    void pausesLongerThanTheMaximumCloseTheWindow() throws Exception {
        Semaphore got = echo(); // the default loop: at most 2 ms
        for (int i = 0; i < 20; i++) { // opens it (pauses within 2 ms) ...
            roundTrip(got);
            LockSupport.parkNanos(1_000_000);
        }
        for (int i = 0; i < 20; i++) { // ... and closes it again
            roundTrip(got);
            Thread.sleep(10);
        }
        long before = loopCpuNanos();
        for (int i = 0; i < 50; i++) {
            roundTrip(got);
            Thread.sleep(10);
        }
        long used = loopCpuNanos() - before;
        // polling through each pause would take 2 ms of CPU per byte: 100 ms
        assertThat(used).as("loop CPU over 50 bytes 10 ms apart, ns").isLessThan(40_000_000L);
    }

    /**
     * Regression: the poll's selectNow() consumed the wake-up that close() gave, and the loop
     * then slept in select() for good after its window, with close() waiting on it.
     */
    @Test
    void closeEndsTheLoopWhileItPolls() throws Exception {
        openAPollingLoop(); // close() lands inside the window
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            loop.close();
            loop.terminationFuture().get();
        });
    }

    @Test
    void aTaskQueuedWhileTheLoopPollsRunsWithinTheWindow() throws Exception {
        openAPollingLoop();
        CountDownLatch ran = new CountDownLatch(1);
        loop.execute(ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * Regression (found by the side-by-side benchmark, which hung at start-up): a wake-up the
     * poll consumed left the loop's "wake-up pending" flag set, so the next execute() from another
     * thread gave none, and the loop slept with that task queued. Hand-offs from other threads,
     * each waiting for the last, with a maximum short enough for the window to end between them.
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
        assertThatThrownBy(() -> new EventLoop("x", -1, FatalErrorHandler.LOG_ONLY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
