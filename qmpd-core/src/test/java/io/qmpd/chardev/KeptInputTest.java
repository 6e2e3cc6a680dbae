package io.qmpd.chardev;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.io.EventLoop;
import io.qmpd.testing.NothingLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ADR 3's rule as {@link KeptInput} writes it for every backend: what the frontend leaves is kept,
 * nothing newer reaches the frontend before it, and it is offered again, first, on
 * {@code acceptInput}. Played through {@link TestChardev}, whose client input goes through one.
 */
@ExtendWith(NothingLeaks.class)
class KeptInputTest {

    private EventLoop loop;
    private TestChardev chardev;
    private final RecordingFrontend frontend = new RecordingFrontend();

    @BeforeEach
    void open() throws InterruptedException {
        loop = new EventLoop("kept-input-test");
        chardev = new TestChardev("c0", TestChardev.context(loop), false);
        chardev.attach(frontend);
        chardev.connect();
        assertThat(frontend.next()).isEqualTo("opened");
    }

    @AfterEach
    void close() {
        chardev.close();
        loop.close();
    }

    @Test
    void what_the_frontend_leaves_is_offered_again_first_and_newer_input_waits_behind_it() throws Exception {
        frontend.consumeAtMost = 2;
        chardev.send("abcd");
        assertThat(frontend.next()).isEqualTo("received ab");
        assertThat(chardev.keptBytes()).isEqualTo(2);

        chardev.send("ef"); // read ahead: kept, not offered
        assertThat(frontend.events).isEmpty();
        assertThat(chardev.keptBytes()).isEqualTo(4);

        chardev.acceptInput();
        assertThat(frontend.next()).isEqualTo("received cd");
        assertThat(chardev.keptBytes()).isEqualTo(2);

        frontend.consumeAtMost = Integer.MAX_VALUE;
        chardev.acceptInput();
        assertThat(frontend.next()).isEqualTo("received ef");
        assertThat(chardev.keptBytes()).isZero();

        chardev.acceptInput(); // nothing kept: nothing offered
        chardev.send("g");
        assertThat(frontend.next()).isEqualTo("received g");
        assertThat(frontend.events).isEmpty();
    }

    @Test
    void input_kept_from_a_client_that_hung_up_never_reaches_the_next_one() throws Exception {
        frontend.consumeAtMost = 1;
        chardev.send("xyz");
        assertThat(frontend.next()).isEqualTo("received x");
        chardev.hangUp();
        assertThat(frontend.next()).isEqualTo("closed");
        assertThat(chardev.keptBytes()).isZero();

        chardev.connect();
        assertThat(frontend.next()).isEqualTo("opened");
        frontend.consumeAtMost = Integer.MAX_VALUE;
        chardev.acceptInput();
        chardev.send("new");
        assertThat(frontend.next()).isEqualTo("received new");
    }

    @Test
    void without_a_frontend_everything_is_kept_for_the_one_that_attaches() throws Exception {
        chardev.detach().join();
        chardev.send("early");
        assertThat(chardev.keptBytes()).isEqualTo(5);
        RecordingFrontend late = new RecordingFrontend();
        chardev.attach(late);
        assertThat(late.next()).isEqualTo("opened");
        assertThat(late.next()).isEqualTo("received early");
        assertThat(chardev.keptBytes()).isZero();
    }
}
