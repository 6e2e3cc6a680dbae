package io.qmpd.hmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** QEMU's readline redraw rules, key by key, with the expected bytes worked out from util/readline.c. */
class ReadlineTest {

    private final List<String> lines = new ArrayList<>();
    private final Readline rl = new Readline(
            "(qemu) ",
            prefix -> prefix.equals("s")
                    ? new Readline.Completion(1, List.of("stop", "system_reset"))
                    : prefix.equals("sy")
                            ? new Readline.Completion(2, List.of("system_reset"))
                            : new Readline.Completion(0, List.of()));

    private String type(String keys) {
        HmpOutput out = new HmpOutput();
        for (byte b : keys.getBytes(StandardCharsets.ISO_8859_1)) {
            String line = rl.handleByte(b, out);
            if (line != null) {
                lines.add(line);
            }
        }
        return new String(out.toBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void printableBytesRedrawTheWholeLine() {
        assertThat(type("a")).isEqualTo("a\033[K");
        assertThat(type("b")).isEqualTo("\033[Dab\033[K");
    }

    @Test
    void cursorKeysMoveAndInsertingInTheMiddleRedrawsThenStepsBack() {
        type("ab");
        assertThat(type("\033[D")).isEqualTo("\033[D");
        assertThat(type("X")).isEqualTo("\033[DaXb\033[K\033[D");
        assertThat(type("\033[C")).isEqualTo("\033[C");
        assertThat(type("\r")).isEqualTo("\r\n");
        assertThat(lines).containsExactly("aXb");
    }

    @Test
    void homeEndAndControlKeys() {
        type("abc");
        assertThat(type("\001")).isEqualTo("\033[D\033[D\033[D");
        assertThat(type("\005")).isEqualTo("\033[C\033[C\033[C");
        assertThat(type("\033[1~")).isEqualTo("\033[D\033[D\033[D");
        assertThat(type("\033OF")).isEqualTo("\033[C\033[C\033[C");
        assertThat(type("\033OH\004")).isEqualTo("\033[D\033[D\033[Dbc\033[K\033[D\033[D");
        type("\005 de");
        assertThat(type("\027")).isEqualTo("\033[D".repeat(5) + "bc \033[K");
        type("\n");
        assertThat(lines).containsExactly("bc ");
    }

    @Test
    void backspaceAndDeleteKey() {
        type("abc");
        assertThat(type("\177")).isEqualTo("\033[D\033[D\033[Dab\033[K");
        assertThat(type("\033[D\033[3~")).isEqualTo("\033[D\033[Da\033[K");
        assertThat(type("\b\b")).isEqualTo("\033[D\033[K");
    }

    @Test
    void crLfGivesALineThenAnEmptyLine() {
        type("x\r\n");
        assertThat(lines).containsExactly("x", "");
    }

    @Test
    void historyUpAndDownAsQemu() {
        type("one\n");
        type("two\n");
        type("one\n"); // moves "one" to the end
        assertThat(rl.history()).containsExactly("two", "one");
        assertThat(type("\033[A")).isEqualTo("one\033[K");
        assertThat(type("\033[A")).isEqualTo("\033[D\033[D\033[Dtwo\033[K");
        assertThat(type("\033[A")).isEmpty(); // oldest: stays
        assertThat(type("\033[B")).isEqualTo("\033[D\033[D\033[Done\033[K");
        assertThat(type("\033[B")).isEqualTo("\033[D\033[D\033[D\033[K");
    }

    @Test
    void historyKeepsTheLast64Lines() {
        for (int i = 0; i < 70; i++) {
            type("c" + i + "\n");
        }
        assertThat(rl.history()).hasSize(Readline.MAX_HISTORY).first().isEqualTo("c6");
    }

    @Test
    void oneCompletionIsInsertedWithASpace() {
        type("sy");
        assertThat(type("\t")).isEqualTo("\033[D\033[Dsystem_reset \033[K");
    }

    @Test
    void severalCompletionsAreListedInColumnsAndThePromptComesBack() {
        type("s");
        assertThat(type("\t")).isEqualTo("\r\nstop          system_reset  \r\n(qemu) s\033[K");
    }

    @Test
    void linesAreCutAtTheBufferSize() {
        type("x".repeat(Readline.CMD_BUF_SIZE + 10) + "\n");
        assertThat(lines.get(0)).hasSize(Readline.CMD_BUF_SIZE);
    }

    @Test
    void utf8BytesAreEchoedAsSentAndTheLineDecoded() {
        assertThat(type("\u00c3\u00a9"))
                .isEqualTo("\u00c3\u00a9\033[K".substring(0, 1) + "\033[K\033[D\u00c3\u00a9\033[K");
        type("\n");
        assertThat(lines).containsExactly("\u00e9");
    }
}
