package io.qmpd.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmpd.io.EventLoop;
import io.qmpd.monitor.Dispatcher;
import io.qmpd.server.ServerInternals;
import io.qmpd.testing.NothingLeaks;
import io.qmpd.testing.QmpTestClient;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An Error on a loop or dispatcher thread is never swallowed: the thread ends and says so, and a
 * server closes rather than leave its monitors deaf.
 */
@ExtendWith(NothingLeaks.class)
class FatalErrorTest {

    private record Death(String thread, Throwable cause) {}

    @Test
    void anErrorInALoopTaskEndsTheLoopAndIsReportedWithTheThreadName() throws Exception {
        CompletableFuture<Death> death = new CompletableFuture<>();
        EventLoop loop = new EventLoop("qmpd-io-fatal", 0, (t, e) -> death.complete(new Death(t, e)));
        OutOfMemoryError oom = new OutOfMemoryError("test");
        loop.execute(() -> {
            throw oom;
        });
        Death d = death.get(5, TimeUnit.SECONDS);
        assertThat(d.thread()).isEqualTo("qmpd-io-fatal");
        assertThat(d.cause()).isSameAs(oom);
        loop.terminationFuture().get(5, TimeUnit.SECONDS);
        assertThat(loop.hasDied()).isTrue();
    }

    @Test
    void tasksHandedToADeadLoopStillRunSoThatNobodyWaitsForever() throws Exception {
        CompletableFuture<Death> death = new CompletableFuture<>();
        EventLoop loop = new EventLoop("qmpd-io-fatal", 0, (t, e) -> death.complete(new Death(t, e)));
        loop.execute(() -> {
            throw new StackOverflowError("test");
        });
        death.get(5, TimeUnit.SECONDS);
        CompletableFuture<String> ran = new CompletableFuture<>();
        loop.execute(() -> ran.complete(Thread.currentThread().getName()));
        assertThat(ran.get(5, TimeUnit.SECONDS))
                .isEqualTo(Thread.currentThread().getName());
        loop.close(); // returns: the thread has ended
    }

    @Test
    void aRuntimeExceptionInATaskIsLoggedAndTheLoopGoesOn() throws Exception {
        CompletableFuture<Death> death = new CompletableFuture<>();
        try (EventLoop loop = new EventLoop("qmpd-io-fatal", 0, (t, e) -> death.complete(new Death(t, e)))) {
            loop.execute(() -> {
                throw new IllegalStateException("test");
            });
            CompletableFuture<Boolean> next = new CompletableFuture<>();
            loop.execute(() -> next.complete(loop.inEventLoop()));
            assertThat(next.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(death).isNotDone();
        }
    }

    @Test
    void anErrorOnTheDispatcherEndsItCancelsWhatWaitsAndIsReported() throws Exception {
        CompletableFuture<Death> death = new CompletableFuture<>();
        Dispatcher d = new Dispatcher("qmpd-dispatcher-fatal", (t, e) -> death.complete(new Death(t, e)));
        CompletableFuture<Object> gate = new CompletableFuture<>();
        d.execute(() -> {
            gate.join();
            throw new OutOfMemoryError("test");
        });
        CompletableFuture<Integer> queued = d.submit(() -> 1);
        gate.complete(null);
        Death dead = death.get(5, TimeUnit.SECONDS);
        assertThat(dead.thread()).isEqualTo("qmpd-dispatcher-fatal");
        assertThat(dead.cause()).isInstanceOf(OutOfMemoryError.class);
        assertThat(queued).isCancelled();
        assertThat(d.terminationFuture()).succeedsWithin(5, TimeUnit.SECONDS);
        d.close();
        assertThatThrownBy(() -> d.submit(() -> 2))
                .as("a dead dispatcher refuses work, never leaves it waiting")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aServerWhoseLoopDiesClosesItsClientsAndSocketsAndSaysWhy() throws Exception {
        try (HotplugFixture f = new HotplugFixture()) {
            Path path = f.dynamicMonitor("dyn");
            QmpTestClient c = f.connect(path).negotiate();
            OutOfMemoryError oom = new OutOfMemoryError("test");
            ServerInternals.loop(f.t.server).execute(() -> {
                throw oom;
            });
            assertThat(f.t.server.closeFuture()).succeedsWithin(5, TimeUnit.SECONDS);
            assertThat(f.t.server.fatalError()).containsSame(oom);
            assertThat(c.drainToEof()).isEmpty();
            assertThat(f.ctl.drainToEof()).isEmpty();
            assertThat(path).doesNotExist();
        }
    }

    @Test
    void aServerWhoseDispatcherDiesClosesToo() throws Exception {
        try (HotplugFixture f = new HotplugFixture()) {
            ServerInternals.dispatcher(f.t.server).execute(() -> {
                throw new OutOfMemoryError("test");
            });
            assertThat(f.t.server.closeFuture()).succeedsWithin(5, TimeUnit.SECONDS);
            assertThat(f.t.server.fatalError()).get().isInstanceOf(OutOfMemoryError.class);
            assertThat(f.ctl.drainToEof()).isEmpty();
        }
    }
}
