package io.qmpd.chardev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmpd.io.EventLoop;
import io.qmpd.json.MemoryBound;
import io.qmpd.qapi.QmpException;
import java.util.ArrayDeque;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The paged ring against a plain bounded queue, and what it charges to the server's ringbuf memory. */
class RingbufChardevTest {

    private static final int PAGE = 64 * 1024;
    private final EventLoop loop = new EventLoop("qmpd-io-ringbuf-test");

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    /** A step: write {@code n} bytes (n > 0) or read up to {@code -n} bytes (n <= 0). */
    @Property(tries = 200)
    void behavesAsABoundedQueueThatDropsItsOldestBytes(
            @ForAll @IntRange(min = 0, max = 19) int log2Size,
            @ForAll @Size(max = 30) List<@IntRange(min = -300_000, max = 300_000) Integer> steps) {
        long size = 1L << log2Size;
        RingbufChardev ring = new RingbufChardev("r", loop, "ringbuf", size, new MemoryBound(1 << 20));
        ArrayDeque<Byte> model = new ArrayDeque<>();
        byte next = 0;
        for (int n : steps) {
            if (n > 0) {
                byte[] bytes = new byte[n];
                for (int i = 0; i < n; i++) {
                    bytes[i] = next;
                    model.addLast(next++);
                    if (model.size() > size) {
                        model.removeFirst();
                    }
                }
                ring.writeAll(bytes);
            } else {
                byte[] got = ring.read(-n);
                byte[] want = new byte[Math.min(-n, model.size())];
                for (int i = 0; i < want.length; i++) {
                    want[i] = model.removeFirst();
                }
                assertThat(got).isEqualTo(want);
            }
        }
        ring.close();
    }

    @Test
    void aRingTakesMemoryAPageAtATimeAsItIsWrittenAndGivesItBackOnClose() {
        MemoryBound memory = new MemoryBound(4L * PAGE);
        RingbufChardev big = new RingbufChardev("big", loop, "ringbuf", 1L << 32, memory);
        assertThat(memory.used()).isZero();
        big.writeAll(new byte[PAGE + 1]);
        assertThat(memory.used()).isEqualTo(2L * PAGE);
        RingbufChardev small = new RingbufChardev("small", loop, "ringbuf", 16, memory);
        small.writeAll(new byte[100]);
        assertThat(memory.used()).isEqualTo(2L * PAGE + 16);
        big.close();
        small.close();
        assertThat(memory.used()).isZero();
    }

    @Test
    void aWritePastTheServersLimitKeepsWhatFitsAndSaysWhy() {
        MemoryBound memory = new MemoryBound(2L * PAGE);
        RingbufChardev ring = new RingbufChardev("r", loop, "ringbuf", 1L << 31, memory);
        assertThatThrownBy(() -> ring.writeAll(new byte[3 * PAGE]))
                .isInstanceOf(QmpException.class)
                .hasMessage("ringbuf memory limit reached (" + 2 * PAGE + " bytes)");
        assertThat(ring.read(Long.MAX_VALUE)).hasSize(2 * PAGE);
        ring.write(new byte[1]); // a frontend's output: lost, no exception
        assertThat(ring.read(Long.MAX_VALUE)).isEmpty();
        ring.close();
        assertThat(memory.used()).isZero();
        ring.write(new byte[10]); // after close: nothing is charged again
        assertThat(memory.used()).isZero();
    }

    @Test
    void sizesThatAreNotPowersOfTwoOrAreNegativeAreRefusedWithQemusText() {
        for (long size : new long[] {3, 1000, -1, -(1L << 62), Long.MIN_VALUE, (1L << 62) + 1}) {
            assertThatThrownBy(() -> new RingbufChardev("r", loop, "ringbuf", size, new MemoryBound(0)))
                    .as("size %d", size)
                    .hasMessage("size of ringbuf chardev must be power of two");
        }
        for (long size : new long[] {0, 1, 1L << 31, 1L << 32, 1L << 62}) {
            new RingbufChardev("r", loop, "ringbuf", size, new MemoryBound(0)).close();
        }
    }
}
