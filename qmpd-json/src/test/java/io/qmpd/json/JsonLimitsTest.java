package io.qmpd.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class JsonLimitsTest {

    @Test
    void qemuLimitsAreTheNumbersOfJsonStreamer() {
        assertThat(JsonLimits.QEMU.maxTokenBytes()).isEqualTo(67_108_864L);
        assertThat(JsonLimits.QEMU.maxTokens()).isEqualTo(2_097_152);
        assertThat(JsonLimits.QEMU.maxNesting()).isEqualTo(1024);
    }

    @Property(tries = 50)
    void nonPositiveLimitsAreRefusedWithTheirName(@ForAll @IntRange(min = -1000, max = 0) int bad) {
        assertThatThrownBy(() -> new JsonLimits(1, 1, bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxNesting: " + bad + " (expected: > 0)");
    }
}
