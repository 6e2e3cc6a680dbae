package io.qmpd.qapi.opts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class QemuOptsParserTest {

    private static List<QemuOpts.Pair> pairs(String text, String implied) {
        return QemuOptsParser.parse(text, implied).opts().pairs();
    }

    private static QemuOpts.Pair p(String k, String v) {
        return new QemuOpts.Pair(k, v);
    }

    @Test
    void pairsComeInTheOrderWritten() {
        assertThat(pairs("id=x,path=/p,server=on,wait=off", null))
                .containsExactly(p("id", "x"), p("path", "/p"), p("server", "on"), p("wait", "off"));
    }

    @Test
    void aDoubleCommaIsALiteralCommaInsideAValue() {
        assertThat(pairs("path=/tmp/a,,b.sock,server=on", null))
                .containsExactly(p("path", "/tmp/a,b.sock"), p("server", "on"));
        assertThat(pairs("path=a,,,,b", null)).containsExactly(p("path", "a,,b"));
        assertThat(pairs("path=a,,", null)).containsExactly(p("path", "a,"));
    }

    @Test
    void theFirstItemWithoutEqualsTakesTheImpliedKey() {
        assertThat(pairs("socket,id=x", "backend")).containsExactly(p("backend", "socket"), p("id", "x"));
        assertThat(pairs("hmp,,0,mode=control", "chardev"))
                .containsExactly(p("chardev", "hmp,0"), p("mode", "control"));
        assertThat(pairs("chardev=c,mode=control", "chardev")).containsExactly(p("chardev", "c"), p("mode", "control"));
    }

    @Test
    void onlyTheFirstItemCanUseTheImpliedKey() {
        assertThat(pairs("id=x,socket", "backend")).containsExactly(p("id", "x"), p("socket", "on"));
    }

    @Test
    void aFlagWithoutValueIsOnAndNoFlagIsOffWithQemusDeprecationWarning() {
        QemuOptsParser.Parsed parsed = QemuOptsParser.parse("socket,server,nowait", "backend");
        assertThat(parsed.opts().pairs()).containsExactly(p("backend", "socket"), p("server", "on"), p("wait", "off"));
        assertThat(parsed.warnings())
                .containsExactly(
                        "warning: short-form boolean option 'server' deprecated\nPlease use server=on instead",
                        "warning: short-form boolean option 'nowait' deprecated\nPlease use wait=off instead");
    }

    @Test
    void emptyValuesAndEmptyTextAreKept() {
        assertThat(pairs("id=,path=", null)).containsExactly(p("id", ""), p("path", ""));
        assertThat(pairs("", "backend")).isEmpty();
    }

    @Test
    void aRepeatedKeyKeepsEveryPairAndTheLastWins() {
        QemuOpts opts = QemuOptsParser.parse("mode=control,mode=readline", null).opts();
        assertThat(opts.pairs()).hasSize(2);
        assertThat(opts.get("mode")).contains("readline");
    }

    @Test
    void booleansAreReadAsQemuReadsThem() {
        QemuOpts opts = QemuOptsParser.parse("a=on,b=yes,c=true,d=y,e=off,f=no,g=false,h=n,i=TRUE,j=1", null)
                .opts();
        assertThat(List.of("a", "b", "c", "d")).allMatch(k -> opts.bool(k, false));
        assertThat(List.of("e", "f", "g", "h")).noneMatch(k -> opts.bool(k, true));
        assertThat(opts.bool("absent", true)).isTrue();
        assertThatThrownBy(() -> opts.bool("i", false)).hasMessage("Parameter 'i' expects 'on' or 'off'");
        assertThatThrownBy(() -> opts.bool("j", false)).hasMessage("Parameter 'j' expects 'on' or 'off'");
    }

    @Property
    void anyValueSurvivesEscapingItsCommas(@ForAll String value) {
        String escaped = value.replace(",", ",,");
        assertThat(QemuOptsParser.parse("k=" + escaped + ",z=1", null).opts().pairs())
                .containsExactly(p("k", value), p("z", "1"));
    }
}
