package io.qmpd.json;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * QEMU's JSON lexer as a byte-at-a-time state machine (the behaviour of qobject/json-lexer.c from
 * the 2018 error-recovery rework on, without the internal interpolation mode).
 *
 * <p>Tokens: the structural characters {@code { } [ ] : ,}; keywords {@code [a-z]+}; numbers in
 * RFC 8259 form; strings in double or single quotes whose raw bytes are 0x20..0xFD. Whitespace is
 * SP, HT, CR and LF. Numbers and keywords end only when the next byte arrives (that byte is then
 * lexed again from the start state).
 *
 * <p>A byte that cannot continue the current token makes the token so far, including that byte,
 * an {@link JsonTokenType#ERROR} token. The lexer then skips bytes until one of {@code [ ] { } : ,},
 * a control character other than HT, or 0xFE/0xFF; that byte is not skipped but lexed from the start
 * state. A token that grows beyond the size limit is handed on as
 * {@link JsonTokenType#OVERSIZED} and lexing starts afresh.
 *
 * <p>Confined to the thread that owns the enclosing {@link JsonStreamer}.
 */
final class JsonLexer {

    /** Receives each token. {@code text} is only valid during the call. */
    interface TokenSink {
        void token(JsonTokenType type, byte[] text, int length);
    }

    private static final int START = 0;
    private static final int RECOVERY = 1;
    private static final int DQ_STRING = 2;
    private static final int DQ_ESCAPE = 3;
    private static final int SQ_STRING = 4;
    private static final int SQ_ESCAPE = 5;
    private static final int ZERO = 6;
    private static final int SIGN = 7;
    private static final int DIGITS = 8;
    private static final int MANTISSA = 9;
    private static final int MANTISSA_DIGITS = 10;
    private static final int EXP_E = 11;
    private static final int EXP_SIGN = 12;
    private static final int EXP_DIGITS = 13;
    private static final int KEYWORD = 14;
    private static final int STATE_COUNT = 15;

    /** Actions at or above this value end a token of type {@code action - EMIT}. */
    private static final int EMIT = 16;
    /** Flag: the byte is not consumed by this transition and is looked at again. */
    private static final int LOOKAHEAD = 0x80;

    private static final int INITIAL_CAPACITY = 64;
    /** A token buffer grown beyond this is given back once its token is done. */
    static final int RETAINED_CAPACITY = 64 * 1024;

    private static final byte[] TABLE = buildTable();

    private final TokenSink sink;
    private final int maxTokenLength;
    /** Asked before the token buffer grows by the given bytes; false: the token is dropped as oversized. */
    private final LongPredicate mayGrow;

    // Owned by the streamer's thread.
    private int state = START;
    private byte[] text = new byte[INITIAL_CAPACITY];
    private int length;
    /** The buffer could not grow: the token ends as oversized after this byte. */
    private boolean starved;

    JsonLexer(int maxTokenLength, TokenSink sink, LongPredicate mayGrow) {
        this.maxTokenLength = maxTokenLength;
        this.sink = sink;
        this.mayGrow = mayGrow;
    }

    /** Lexes one byte; may hand zero, one or two tokens to the sink. */
    void feed(byte b) {
        int row = b & 0xFF;
        boolean consumed;
        do {
            int action = TABLE[(state << 8) | row] & 0xFF;
            consumed = (action & LOOKAHEAD) == 0;
            int target = action & ~LOOKAHEAD;
            if (consumed) {
                append(b);
            }
            if (target >= EMIT) {
                JsonTokenType type = JsonTokenType.ofOrdinal(target - EMIT);
                state = type == JsonTokenType.ERROR ? RECOVERY : START;
                emit(type);
            } else {
                if (target <= RECOVERY) {
                    length = 0;
                }
                state = target;
            }
        } while (!consumed);
        if (length > maxTokenLength || starved) {
            starved = false;
            state = START;
            emit(JsonTokenType.OVERSIZED);
        }
    }

    /** Forgets the partial token and returns to the start state. */
    void reset() {
        state = START;
        length = 0;
        starved = false;
        if (text.length > RETAINED_CAPACITY) {
            text = new byte[INITIAL_CAPACITY];
        }
    }

    /** Bytes of the token being lexed (for tests of the memory bound). */
    int pendingLength() {
        return length;
    }

    /** Bytes held for the token being lexed, used or not. */
    int retainedCapacity() {
        return text.length;
    }

    private void emit(JsonTokenType type) {
        int len = length;
        length = 0;
        try {
            sink.token(type, text, len);
        } finally {
            if (len > RETAINED_CAPACITY) {
                text = new byte[INITIAL_CAPACITY];
            }
        }
    }

    private void append(byte b) {
        if (starved) {
            return;
        }
        if (length == text.length) {
            int capacity = (int) Math.min(Math.max(2L * text.length, INITIAL_CAPACITY), maxTokenLength + 1L);
            if (!mayGrow.test(capacity - text.length)) {
                starved = true;
                return;
            }
            text = Arrays.copyOf(text, capacity);
        }
        text[length++] = b;
    }

    private static byte[] buildTable() {
        byte[] t = new byte[STATE_COUNT * 256];
        // Every entry left alone ends the token as a lexical error, consuming the byte.
        Arrays.fill(t, (byte) ends(JsonTokenType.ERROR));

        set(t, RECOVERY, 0x00, 0x1F, START | LOOKAHEAD);
        set(t, RECOVERY, 0x20, 0xFD, RECOVERY);
        set(t, RECOVERY, 0xFE, 0xFF, START | LOOKAHEAD);
        set(t, RECOVERY, '\t', '\t', RECOVERY);
        for (char c : "[]{}:,".toCharArray()) {
            set(t, RECOVERY, c, c, START | LOOKAHEAD);
        }

        quoted(t, DQ_STRING, DQ_ESCAPE, '"');
        quoted(t, SQ_STRING, SQ_ESCAPE, '\'');

        set(t, ZERO, 0x00, 0xFF, ends(JsonTokenType.INTEGER) | LOOKAHEAD);
        set(t, ZERO, '0', '9', ends(JsonTokenType.ERROR));
        set(t, ZERO, '.', '.', MANTISSA);

        set(t, SIGN, '0', '0', ZERO);
        set(t, SIGN, '1', '9', DIGITS);

        set(t, DIGITS, 0x00, 0xFF, ends(JsonTokenType.INTEGER) | LOOKAHEAD);
        set(t, DIGITS, '0', '9', DIGITS);
        set(t, DIGITS, '.', '.', MANTISSA);
        set(t, DIGITS, 'e', 'e', EXP_E);
        set(t, DIGITS, 'E', 'E', EXP_E);

        set(t, MANTISSA, '0', '9', MANTISSA_DIGITS);

        set(t, MANTISSA_DIGITS, 0x00, 0xFF, ends(JsonTokenType.FLOAT) | LOOKAHEAD);
        set(t, MANTISSA_DIGITS, '0', '9', MANTISSA_DIGITS);
        set(t, MANTISSA_DIGITS, 'e', 'e', EXP_E);
        set(t, MANTISSA_DIGITS, 'E', 'E', EXP_E);

        set(t, EXP_E, '+', '+', EXP_SIGN);
        set(t, EXP_E, '-', '-', EXP_SIGN);
        set(t, EXP_E, '0', '9', EXP_DIGITS);
        set(t, EXP_SIGN, '0', '9', EXP_DIGITS);
        set(t, EXP_DIGITS, 0x00, 0xFF, ends(JsonTokenType.FLOAT) | LOOKAHEAD);
        set(t, EXP_DIGITS, '0', '9', EXP_DIGITS);

        set(t, KEYWORD, 0x00, 0xFF, ends(JsonTokenType.KEYWORD) | LOOKAHEAD);
        set(t, KEYWORD, 'a', 'z', KEYWORD);

        set(t, START, '"', '"', DQ_STRING);
        set(t, START, '\'', '\'', SQ_STRING);
        set(t, START, '0', '0', ZERO);
        set(t, START, '1', '9', DIGITS);
        set(t, START, '-', '-', SIGN);
        set(t, START, 'a', 'z', KEYWORD);
        set(t, START, '{', '{', ends(JsonTokenType.LCURLY));
        set(t, START, '}', '}', ends(JsonTokenType.RCURLY));
        set(t, START, '[', '[', ends(JsonTokenType.LSQUARE));
        set(t, START, ']', ']', ends(JsonTokenType.RSQUARE));
        set(t, START, ':', ':', ends(JsonTokenType.COLON));
        set(t, START, ',', ',', ends(JsonTokenType.COMMA));
        for (char c : " \t\r\n".toCharArray()) {
            set(t, START, c, c, START);
        }
        return t;
    }

    private static void quoted(byte[] t, int inside, int escape, char quote) {
        set(t, inside, 0x20, 0xFD, inside);
        set(t, inside, '\\', '\\', escape);
        set(t, inside, quote, quote, ends(JsonTokenType.STRING));
        set(t, escape, 0x20, 0xFD, inside);
    }

    private static int ends(JsonTokenType type) {
        return EMIT + type.ordinal();
    }

    private static void set(byte[] t, int state, int from, int to, int action) {
        Arrays.fill(t, (state << 8) | from, ((state << 8) | to) + 1, (byte) action);
    }
}
