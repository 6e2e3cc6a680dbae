package io.qmpd.qapi.opts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class QemuOptsListTest {

    private final QemuOptsList mon = new QemuOptsList("mon", "chardev", Set.of("chardev", "mode", "pretty", "id"));

    @Test
    void anUnknownKeyIsAnInvalidParameter() {
        assertThatThrownBy(() -> mon.parse("x,bogus=1")).hasMessage("Invalid parameter 'bogus'");
        assertThatThrownBy(() -> mon.parse("x,nopretty,wait")).hasMessage("Invalid parameter 'wait'");
    }

    @Test
    void anIdMustBeAQemuIdentifier() {
        assertThat(mon.parse("x,id=mon-0.a_b").opts().get("id")).contains("mon-0.a_b");
        assertThatThrownBy(() -> mon.parse("x,id=1a")).hasMessage("Parameter 'id' expects an identifier");
        assertThatThrownBy(() -> mon.parse("x,id=a,,b")).hasMessage("Parameter 'id' expects an identifier");
        assertThatThrownBy(() -> mon.parse("x,id=")).hasMessage("Parameter 'id' expects an identifier");
    }

    @Test
    void identifierRuleIsQemus() {
        assertThat(QemuOptsList.isIdentifier("a")).isTrue();
        assertThat(QemuOptsList.isIdentifier("Z9-._")).isTrue();
        assertThat(QemuOptsList.isIdentifier("_a")).isFalse();
        assertThat(QemuOptsList.isIdentifier("-a")).isFalse();
        assertThat(QemuOptsList.isIdentifier("a b")).isFalse();
        assertThat(QemuOptsList.isIdentifier("é")).isFalse();
    }
}
