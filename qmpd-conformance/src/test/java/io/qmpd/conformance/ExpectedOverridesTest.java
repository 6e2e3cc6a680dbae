package io.qmpd.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmpd.conformance.ConformanceCase.Direction;
import io.qmpd.conformance.ConformanceCase.Exchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every expected override (qmpd's documented output where it differs from QEMU 7.2 on purpose)
 * must replay exactly QEMU's sends, and docs/compat.md must explain it: the case is named there
 * and the section the override names exists.
 */
class ExpectedOverridesTest {

    private final ExpectedOverrides overrides = ExpectedOverrides.load();

    @Test
    void there_are_overrides_to_check() {
        assertThat(overrides.all()).isNotEmpty();
    }

    @Test
    void every_override_sends_what_the_recording_sends() {
        Path corpus = Path.of("")
                .toAbsolutePath()
                .getParent()
                .resolveSibling("shared")
                .resolve("conformance")
                .resolve("cases");
        for (ExpectedOverrides.Override o : overrides.all()) {
            ConformanceCase qemu = CaseFile.read(corpus.resolve(o.expected().name() + ".jsonl"));
            assertThat(o.expected().sockets()).as(o.file() + ": sockets").isEqualTo(qemu.sockets());
            assertThat(actions(o.expected()))
                    .as(o.file() + ": sends and events, in order")
                    .isEqualTo(actions(qemu));
        }
    }

    @Test
    void every_override_is_explained_in_compat_md() throws IOException {
        Path compat = Path.of("").toAbsolutePath().getParent().resolve("docs").resolve("compat.md");
        String doc = Files.readString(compat, StandardCharsets.UTF_8);
        List<String> headings = doc.lines()
                .filter(l -> l.startsWith("#"))
                .map(l -> l.replaceFirst("^#+\\s*", ""))
                .toList();
        for (ExpectedOverrides.Override o : overrides.all()) {
            assertThat(doc)
                    .as("docs/compat.md names " + o.expected().name())
                    .contains(o.expected().name());
            assertThat(headings).as(o.file() + ": compat section").contains(o.compatSection());
        }
    }

    /** Everything the client does (sends and info), with the connection, as comparable text. */
    private static List<String> actions(ConformanceCase c) {
        List<String> out = new ArrayList<>();
        for (Exchange e : c.exchanges()) {
            if (e.dir() == Direction.SEND) {
                out.add(e.conn() + " send " + HexFormat.of().formatHex(e.bytes()));
            } else if (e.dir() == Direction.INFO && !e.note().startsWith("timeout")) {
                out.add(e.conn() + " info " + e.note());
            }
        }
        return out;
    }
}
