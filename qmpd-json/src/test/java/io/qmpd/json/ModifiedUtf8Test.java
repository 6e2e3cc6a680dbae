package io.qmpd.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How many bytes one invalid sequence takes, as QEMU's writer decodes error texts. */
class ModifiedUtf8Test {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "41, A",
        "c3a9, \u00e9",
        "ff, \ufffd",
        "fe41, \ufffdA",
        "8080, \ufffd\ufffd",
        "c3, \ufffd",
        "c341, \ufffdA",
        "e282, \ufffd",
        "e28241, \ufffdA",
        "e08080, \ufffd",
        "e0a080, \u0800",
        "eda080, \ufffd",
        "efbfbe, \ufffd",
        "f0808080, \ufffd",
        "f4908080, \ufffd",
        "f888808080, \ufffd",
        "fc8480808080, \ufffd",
        "f09f9880, \ud83d\ude00",
        "6100ff, a",
    })
    void eachInvalidSequenceBecomesOneReplacementCharacter(String hex, String expected) {
        byte[] bytes = HexFormatting.parse(hex);
        assertThat(ModifiedUtf8.display(bytes, 0, bytes.length)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"c080", "7f"})
    void c080IsNulAndAsciiIsItself(String hex) {
        byte[] bytes = HexFormatting.parse(hex);
        long decoded = ModifiedUtf8.decode(bytes, 0, bytes.length);
        assertThat(ModifiedUtf8.next(decoded)).isEqualTo(bytes.length);
        assertThat(ModifiedUtf8.codePoint(decoded)).isEqualTo(hex.equals("7f") ? 0x7F : 0);
    }
}
