package io.qmpd.json;

/**
 * The kinds of token QEMU's JSON lexer hands to the streamer. {@link #OVERSIZED} is a token the
 * lexer cut off because it grew past the size limit; {@link #ERROR} carries the text of a lexical
 * error.
 */
enum JsonTokenType {
    LCURLY,
    RCURLY,
    LSQUARE,
    RSQUARE,
    COLON,
    COMMA,
    INTEGER,
    FLOAT,
    KEYWORD,
    STRING,
    ERROR,
    OVERSIZED;

    private static final JsonTokenType[] VALUES = values();

    static JsonTokenType ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
