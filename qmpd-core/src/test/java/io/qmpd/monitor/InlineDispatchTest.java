package io.qmpd.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.chardev.TestChardev;
import io.qmpd.server.ServerInternals;
import io.qmpd.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Inline commands ({@code x-where} in the test schema): run on the event loop in the
 * dispatcher's place when nothing else is waiting, queued as usual otherwise, answered in order
 * either way; and the exclusion {@link Dispatcher#runIfIdle} gives.
 */
class InlineDispatchTest {

    private static final String OK = "{\"return\": {}}\r\n";
    private final TestServer t = new TestServer();

    @AfterEach
    void close() {
        t.close();
    }

    private static String where(String tag) {
        return "{\"execute\": \"x-where\", \"arguments\": {\"tag\": \"" + tag + "\"}}\n";
    }

    private static String oobMark(String tag) {
        return "{\"exec-oob\": \"x-oob-echo\", \"arguments\": {\"tag\": \"" + tag + "\"}, \"id\": \"" + tag + "\"}\n";
    }

    /**
     * Waits until the dispatcher thread is back in its wait: right after a request or task it is
     * still finishing, and an inline command read then queues instead (which is correct too).
     */
    private void awaitIdleDispatcher() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!ServerInternals.dispatcher(t.server).isIdle()) {
            assertThat(System.nanoTime() - deadline)
                    .as("dispatcher idle within 5 s")
                    .isNegative();
            Thread.onSpinWait();
        }
    }

    private String nextWhere() throws InterruptedException {
        String w = t.where.poll(5, TimeUnit.SECONDS);
        assertThat(w).as("x-where ran").isNotNull();
        return w;
    }

    @Test
    void onAnIdleServerAnInlineCommandRunsOnTheEventLoopThatReadIt() throws Exception {
        TestChardev a = t.negotiated("a", false);
        awaitIdleDispatcher();
        a.send(where("w1"));
        assertThat(a.next()).isEqualTo(OK);
        assertThat(nextWhere()).isEqualTo("w1 qmpd-io-0");
    }

    @Test
    void whileTheDispatcherIsBusyAnInlineCommandWaitsForItOnTheDispatcher() throws Exception {
        TestChardev a = t.negotiated("a", false);
        TestChardev b = t.negotiated("b", true);
        a.send("{\"execute\": \"x-block\", \"arguments\": {\"tag\": \"hold\"}}\n");
        t.awaitBlockStarted();
        b.send(where("w1") + oobMark("read"));
        // The out-of-band reply comes after w1 was read: w1 was seen while the dispatcher was busy.
        assertThat(b.next()).isEqualTo("{\"return\": {}, \"id\": \"read\"}\r\n");
        assertThat(t.where).as("w1 did not run beside the blocked command").isEmpty();
        t.release();
        assertThat(a.next()).isEqualTo(OK);
        assertThat(b.next()).isEqualTo(OK);
        assertThat(nextWhere()).isEqualTo("w1 qmpd-dispatcher");
    }

    @Test
    void behindARequestOfItsOwnMonitorAnInlineCommandKeepsItsPlace() throws Exception {
        TestChardev a = t.negotiated("a", true);
        a.send("{\"execute\": \"x-block\", \"arguments\": {\"tag\": \"hold\"}, \"id\": 1}\n"
                + "{\"execute\": \"x-where\", \"arguments\": {\"tag\": \"w2\"}, \"id\": 2}\n" + oobMark("read"));
        t.awaitBlockStarted();
        assertThat(a.next()).isEqualTo("{\"return\": {}, \"id\": \"read\"}\r\n");
        assertThat(t.where).isEmpty();
        t.release();
        assertThat(a.next()).isEqualTo("{\"return\": {}, \"id\": 1}\r\n");
        assertThat(a.next()).isEqualTo("{\"return\": {}, \"id\": 2}\r\n");
        assertThat(nextWhere()).isEqualTo("w2 qmpd-dispatcher");
    }

    @Test
    void aBurstRunsAtMostAQueueOfRequestsOnTheLoopBeforeTheDispatcherTakesATurn() throws Exception {
        TestChardev a = t.negotiated("a", false);
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            burst.append("{\"execute\": \"x-where\", \"arguments\": {\"tag\": \"")
                    .append(i)
                    .append("\"}, \"id\": ")
                    .append(i)
                    .append("}\n");
        }
        awaitIdleDispatcher();
        a.send(burst.toString());
        List<String> threads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            assertThat(a.next()).isEqualTo("{\"return\": {}, \"id\": " + i + "}\r\n");
            String w = nextWhere();
            assertThat(w).startsWith(i + " ");
            threads.add(w.substring(w.indexOf(' ') + 1));
        }
        assertThat(threads.subList(0, QmpMonitor.QUEUE_MAX)).containsOnly("qmpd-io-0");
        assertThat(threads.get(QmpMonitor.QUEUE_MAX)).isEqualTo("qmpd-dispatcher");
    }

    @Test
    void builtinQueriesAnswerTheSameInlineAsOnTheDispatcher() throws Exception {
        TestChardev a = t.negotiated("a", true);
        a.send("{\"execute\": \"query-status\", \"id\": 1}\n");
        String inline = a.next();
        a.send(
                "{\"execute\": \"x-block\", \"arguments\": {\"tag\": \"hold\"}}\n{\"execute\": \"query-status\", \"id\": 1}\n");
        t.awaitBlockStarted();
        t.release();
        assertThat(a.next()).isEqualTo(OK);
        assertThat(a.next())
                .isEqualTo(inline)
                .isEqualTo(
                        "{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}, \"id\": 1}\r\n");
    }

    @Test
    void aBorrowedDispatcherRunsNothingElseUntilTheBorrowerIsDone() throws Exception {
        t.negotiated("a", false);
        awaitIdleDispatcher();
        Dispatcher d = ServerInternals.dispatcher(t.server);
        Monitor monitor = ServerInternals.monitors(t.server).get(0);
        CountDownLatch borrowing = new CountDownLatch(1);
        CountDownLatch submitted = new CountDownLatch(1);
        AtomicBoolean taskRan = new AtomicBoolean();
        CompletableFuture<Boolean> borrowerSawTask = new CompletableFuture<>();
        CompletableFuture<Boolean> inside = new CompletableFuture<>();
        Thread borrower = new Thread(
                () -> {
                    boolean ran = d.runIfIdle(monitor, () -> {
                        inside.complete(d.inDispatcher() && d.current() == monitor);
                        borrowing.countDown();
                        try {
                            submitted.await(5, TimeUnit.SECONDS);
                            // If the exclusion were broken the task would run now, on the dispatcher.
                            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                            while (!taskRan.get() && System.nanoTime() < end) {
                                Thread.onSpinWait();
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        borrowerSawTask.complete(taskRan.get());
                    });
                    if (!ran) {
                        inside.complete(false);
                        borrowerSawTask.complete(true);
                        borrowing.countDown();
                    }
                },
                "borrower");
        borrower.start();
        assertThat(borrowing.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(d.runIfIdle(monitor, () -> {})).as("a second borrower").isFalse();
        CompletableFuture<Void> task = d.submit(() -> {
            taskRan.set(true);
            return null;
        });
        submitted.countDown();
        assertThat(inside.get(5, TimeUnit.SECONDS))
                .as("the borrower holds the big lock")
                .isTrue();
        assertThat(borrowerSawTask.get(5, TimeUnit.SECONDS))
                .as("task ran during the borrow")
                .isFalse();
        task.get(5, TimeUnit.SECONDS);
        borrower.join(5_000);
        assertThat(d.inDispatcher()).isFalse();
        assertThat(d.current()).isNull();
    }

    @Test
    void aBusyDispatcherIsNotBorrowed() throws Exception {
        TestChardev a = t.negotiated("a", false);
        a.send("{\"execute\": \"x-block\", \"arguments\": {\"tag\": \"hold\"}}\n");
        t.awaitBlockStarted();
        AtomicBoolean ran = new AtomicBoolean();
        assertThat(ServerInternals.dispatcher(t.server)
                        .runIfIdle(ServerInternals.monitors(t.server).get(0), () -> ran.set(true)))
                .isFalse();
        assertThat(ran).isFalse();
        t.release();
        assertThat(a.next()).isEqualTo(OK);
    }
}
