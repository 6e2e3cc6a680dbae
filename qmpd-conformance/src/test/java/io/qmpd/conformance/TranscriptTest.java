package io.qmpd.conformance;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TranscriptTest {

    private static Transcript expecting(String text) {
        Transcript t = new Transcript();
        t.expect(text.getBytes(ISO_8859_1));
        return t;
    }

    @Test
    void linesInAnotherOrderMatchOnlyWhenTheCaseAllowsIt() {
        Transcript t = expecting("{\"id\": \"oob\"}\r\n{\"id\": \"ib0\"}\r\n");
        byte[] swapped = "{\"id\": \"ib0\"}\r\n{\"id\": \"oob\"}\r\n".getBytes(ISO_8859_1);
        assertThat(t.mismatch(swapped)).isPresent();
        assertThat(t.mismatch(swapped, true)).isEmpty();
    }

    @Test
    void anyOrderStillNeedsEveryLineExactlyOnce() {
        Transcript t = expecting("{\"id\": \"oob\"}\r\n{\"id\": \"ib0\"}\r\n");
        assertThat(t.mismatch("{\"id\": \"ib0\"}\r\n{\"id\": \"ib0\"}\r\n".getBytes(ISO_8859_1), true))
                .isPresent();
        assertThat(t.mismatch("{\"id\": \"ib0\"}\r\n".getBytes(ISO_8859_1), true))
                .isPresent();
    }

    @Test
    void anElidedLineFitsByPrefixAndSuffixInAnyOrder() {
        Transcript t = expecting("{\"return\": [<...100 chars...>], \"id\": \"ib0\"}\r\n{\"id\": \"oob\"}\r\n");
        byte[] received = "{\"id\": \"oob\"}\r\n{\"return\": [1, 2, 3], \"id\": \"ib0\"}\r\n".getBytes(ISO_8859_1);
        assertThat(t.mismatch(received, true)).isEmpty();
        assertThat(t.mismatch(received)).isPresent();
    }
}
