package io.qmpd.json;

import java.util.HexFormat;

/** Hex strings such as {@code "7b ff"} to bytes, for tests. */
final class HexFormatting {

    private HexFormatting() {}

    static byte[] parse(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }
}
