package io.qmpd.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The poll window's policy: grow on idle spells it could have caught, keep what it caught, shrink on longer ones. */
class PollWindowTest {

    private static final long MAX = 32_768;

    @Test
    void startsClosedAndOpensOnAShortIdleSpell() {
        PollWindow w = new PollWindow(MAX);
        assertThat(w.enabled()).isTrue();
        assertThat(w.nanos()).isZero();
        w.idled(20_000);
        assertThat(w.nanos()).isEqualTo(PollWindow.FIRST_NANOS);
    }

    @Test
    void doublesUpToTheMaximumWhileTheSpellsStayWithinIt() {
        PollWindow w = new PollWindow(MAX);
        long[] expected = {4_000, 8_000, 16_000, 32_000, 32_768, 32_768};
        for (long e : expected) {
            w.idled(MAX); // just catchable: longer than every window below the maximum
            assertThat(w.nanos()).isEqualTo(e);
        }
    }

    @Test
    void aSpellTheWindowCaughtLeavesItAsItIs() {
        PollWindow w = new PollWindow(MAX);
        w.idled(30_000);
        w.idled(30_000);
        assertThat(w.nanos()).isEqualTo(8_000);
        w.idled(8_000);
        w.idled(1);
        assertThat(w.nanos()).isEqualTo(8_000);
    }

    @Test
    void aSpellNoWindowCouldCatchHalvesItAndClosesItBelowTheFirstSize() {
        PollWindow w = new PollWindow(MAX);
        for (int i = 0; i < 5; i++) {
            w.idled(MAX);
        }
        assertThat(w.nanos()).isEqualTo(MAX);
        w.idled(MAX + 1);
        assertThat(w.nanos()).isEqualTo(16_384);
        w.idled(1_000_000);
        assertThat(w.nanos()).isEqualTo(8_192);
        w.idled(1_000_000);
        assertThat(w.nanos()).isEqualTo(4_096);
        w.idled(1_000_000);
        assertThat(w.nanos()).as("half of 4,096 is below the first window").isZero();
        w.idled(1_000_000);
        assertThat(w.nanos()).isZero();
    }

    @Test
    void aZeroMaximumNeverOpens() {
        PollWindow w = new PollWindow(0);
        assertThat(w.enabled()).isFalse();
        w.idled(0);
        w.idled(1);
        assertThat(w.nanos()).isZero();
    }

    @Test
    void aNegativeMaximumIsRefused() {
        assertThatThrownBy(() -> new PollWindow(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pollMaxNanos must not be negative: -1");
    }

    @Property
    void theWindowStaysWithinZeroAndTheMaximum(
            @ForAll @LongRange(max = 10_000_000) long max,
            @ForAll @Size(max = 60) List<@LongRange(max = 20_000_000) Long> spells) {
        PollWindow w = new PollWindow(max);
        for (long spell : spells) {
            long before = w.nanos();
            w.idled(spell);
            assertThat(w.nanos()).isBetween(0L, max);
            if (spell > max) {
                assertThat(w.nanos()).as("no growth past what could be caught").isLessThanOrEqualTo(before);
            }
        }
    }

    @Property
    void aClientThatPausesLongerThanTheMaximumEndsThePollingWithinAFewSpells(
            @ForAll @LongRange(min = 1, max = 1_000_000_000) long max,
            @ForAll @Size(max = 40) List<@LongRange(max = 1_000_000_000) Long> before) {
        PollWindow w = new PollWindow(max);
        before.forEach(w::idled);
        for (int i = 0; i < 64 - Long.numberOfLeadingZeros(max); i++) { // log2(max) halvings at most
            w.idled(max + 1);
        }
        assertThat(w.nanos()).isZero();
    }
}
