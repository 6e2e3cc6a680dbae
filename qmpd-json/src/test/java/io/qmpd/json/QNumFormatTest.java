package io.qmpd.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QNumFormatTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0.1 | 0.10000000000000001",
                "1e20 | 1e+20",
                "100.0 | 100",
                "1.5 | 1.5",
                "-0.0 | -0",
                "1e-5 | 1.0000000000000001e-05",
                "0.0 | 0",
                "1e16 | 10000000000000000",
                "1e17 | 1e+17",
                "0.0001 | 0.0001",
                "1e-300 | 1e-300",
                "1e100 | 1e+100",
                "1234567890123456.25 | 1234567890123456.2",
                "1234567890123456.75 | 1234567890123456.8",
                "Infinity | inf",
                "-Infinity | -inf",
                "NaN | nan",
                "4.9e-324 | 4.9406564584124654e-324"
            })
    void printsLikeCPrintfPercentPoint17g(String value, String text) {
        assertThat(QNumFormat.formatDouble(Double.parseDouble(value))).isEqualTo(text);
    }

    @Test
    void negativeNanPrintsWithItsSign() {
        assertThat(QNumFormat.formatDouble(Double.longBitsToDouble(0xFFF8000000000000L)))
                .isEqualTo("-nan");
    }

    /** Every line of printf-g17.tsv was printed by glibc's printf("%.17g") (see printf-g17.c). */
    @Test
    void agreesWithGlibcOnTwoThousandDoubles() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int count = 0;
        try (InputStream in = QNumFormatTest.class.getResourceAsStream("printf-g17.tsv");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                double value = Double.longBitsToDouble(Long.parseUnsignedLong(columns[0], 16));
                String actual = QNumFormat.formatDouble(value);
                if (!actual.equals(columns[1])) {
                    mismatches.add(columns[0] + ": expected " + columns[1] + ", got " + actual);
                }
                count++;
            }
        }
        assertThat(count).isGreaterThan(2000);
        assertThat(mismatches).isEmpty();
    }

    @Property(tries = 2000)
    void finiteValuesReadBackExactly(@ForAll double value) {
        String text = QNumFormat.formatDouble(value);
        if (Double.isFinite(value)) {
            assertThat(Double.parseDouble(text)).isEqualTo(value);
            assertThat(text.replaceFirst("e.*", "").replaceAll("[^0-9]", "").replaceFirst("^0+", ""))
                    .hasSizeLessThanOrEqualTo(17);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "-1, -1",
        "9223372036854775807, 9223372036854775807",
        "-9223372036854775808, -9223372036854775808",
        "1234567890, 1234567890"
    })
    void longsPrintInDecimal(long value, String text) {
        byte[] out = new byte[QNumFormat.MAX_LENGTH];
        int end = QNumFormat.writeLong(value, out, 0);
        assertThat(new String(out, 0, end, StandardCharsets.US_ASCII)).isEqualTo(text);
    }
}
