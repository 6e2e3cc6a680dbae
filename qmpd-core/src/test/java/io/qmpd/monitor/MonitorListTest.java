package io.qmpd.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.chardev.TestChardev;
import io.qmpd.io.EventLoop;
import io.qmpd.io.NameMemory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MonitorListTest {

    private final EventLoop loop = new EventLoop("qmpd-io-monitor-list-test");
    private final Dispatcher dispatcher = new Dispatcher("qmpd-dispatcher-monitor-list-test");
    private final MonitorList list = new MonitorList();

    @AfterEach
    void close() {
        dispatcher.close();
        loop.close();
    }

    /** A monitor with no protocol: only identity, id and chardev matter to the list. */
    private Monitor monitor(String id) {
        return new Monitor(id, new TestChardev("c-" + id, loop, false), true, new NameMemory(Long.MAX_VALUE)) {
            @Override
            public MonitorMode mode() {
                return MonitorMode.control;
            }

            @Override
            protected Runnable takeJob() {
                return null;
            }

            @Override
            protected boolean hasJobs() {
                return false;
            }

            @Override
            public void opened() {}

            @Override
            public void closed() {}

            @Override
            public void received(ByteBuffer input) {}
        };
    }

    private boolean unlink(Monitor m) throws Exception {
        return dispatcher
                .submit(() -> {
                    boolean unlinked = list.unlink(m);
                    dispatcher.forget(m); // as a removal does next
                    return unlinked;
                })
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void findsByIdAndKeepsCreationOrderAcrossRemovals() throws Exception {
        List<Monitor> made = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Monitor m = monitor("m" + i);
            made.add(m);
            list.add(m);
        }
        Monitor anonymous = monitor(null);
        list.add(anonymous);
        for (int i = 0; i < 2_000; i += 2) {
            assertThat(unlink(made.get(i))).isTrue();
        }
        assertThat(unlink(made.get(0))).as("already unlinked").isFalse();

        assertThat(list.size()).isEqualTo(1_001);
        assertThat(list.find("m0")).isEmpty();
        assertThat(list.find("m1")).containsSame(made.get(1));
        assertThat(list.find("m1999")).containsSame(made.get(1999));
        assertThat(list.contains(made.get(2))).isFalse();
        assertThat(list.contains(made.get(3))).isTrue();
        assertThat(made.get(2).isRemoved()).isTrue();

        List<Monitor> expected = new ArrayList<>();
        for (int i = 1; i < 2_000; i += 2) {
            expected.add(made.get(i));
        }
        expected.add(anonymous);
        assertThat(list.snapshot()).containsExactlyElementsOf(expected);
        List<Monitor> iterated = new ArrayList<>();
        list.forEach(iterated::add);
        assertThat(iterated).containsExactlyElementsOf(expected);
    }

    @Test
    void aRunningIterationSeesOneConsistentList() throws Exception {
        Monitor a = monitor("a");
        Monitor b = monitor("b");
        list.add(a);
        list.add(b);
        Iterator<Monitor> running = list.iterator();
        List<Monitor> before = list.snapshot();

        unlink(a);
        Monitor c = monitor("c");
        list.add(c);

        List<Monitor> seen = new ArrayList<>();
        running.forEachRemaining(seen::add);
        assertThat(seen).containsExactly(a, b);
        assertThat(before).containsExactly(a, b);
        assertThat(list.snapshot()).containsExactly(b, c);
        assertThat(list.snapshot()).isSameAs(list.snapshot());
        assertThat(list.find("c")).containsSame(c);

        list.clear();
        assertThat(list.snapshot()).isEmpty();
        assertThat(list.find("b")).isEmpty();
        assertThat(list.size()).isZero();
    }
}
