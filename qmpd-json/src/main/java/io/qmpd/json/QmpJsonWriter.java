package io.qmpd.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Prints values as QEMU's JSON writer does: QDict member order ({@link QDictOrder}),
 * {@code ", "} and {@code ": "} separators, ASCII-only strings ({@link QuotedStr}), QEMU's number
 * formats ({@link QNumFormat}), and in pretty mode a line break plus four spaces per level.
 *
 * <p>An instance is a reusable output buffer for the hot path: {@link #appendMessage} prints into
 * it, the caller writes {@link #array()} up to {@link #length()} (or {@link #toByteBuffer()}) and
 * then calls {@link #clear()}. An instance is confined to one thread (the monitor's I/O thread
 * or whoever owns it); the static methods create their own.
 *
 * <p>Members of an object are printed in QDict order of the keys as inserted into the Jackson
 * {@code ObjectNode}: by bucket, and inside one bucket the most recently inserted first. Numbers:
 * int, long and {@code BigInteger} within int64 or uint64 print in decimal; everything else
 * (float, double, {@code BigDecimal}, larger integers, which QEMU would hold as a double) as
 * {@code %.17g}.
 */
public final class QmpJsonWriter {

    private static final int DEFAULT_CAPACITY = 256;
    /** {@link #clear()} drops a buffer grown beyond this, so one huge reply is not kept forever. */
    private static final int RETAINED_CAPACITY = 1 << 20;

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    // All fields are owned by the thread using this writer.
    private final int initialCapacity;
    private byte[] buf;
    private int length;
    private final QuotedStr quoted = new QuotedStr(this);
    /** Member scratch for objects being printed; an object uses [base, base + size) above its parents. */
    private long[] order = new long[32];

    private String[] keys = new String[32];
    private JsonNode[] values = new JsonNode[32];
    private int scratchTop;
    private boolean pretty;
    private boolean crlf;

    public QmpJsonWriter() {
        this(DEFAULT_CAPACITY);
    }

    public QmpJsonWriter(int initialCapacity) {
        if (initialCapacity <= 0) {
            throw new IllegalArgumentException("initialCapacity: " + initialCapacity + " (expected: > 0)");
        }
        this.initialCapacity = initialCapacity;
        this.buf = new byte[initialCapacity];
    }

    /** One complete monitor message: the value, compact or pretty, followed by CRLF; CRLF line ends. */
    public static byte[] message(JsonNode value, boolean pretty) {
        return new QmpJsonWriter().appendMessage(value, pretty).toByteArray();
    }

    /**
     * The value as QEMU's {@code qobject_to_json()} / {@code qobject_to_json_pretty()} returns it:
     * LF line ends in pretty mode, no final newline (a monitor's output path expands LF to CRLF).
     */
    public static String json(JsonNode value, boolean pretty) {
        QmpJsonWriter writer = new QmpJsonWriter();
        writer.append(value, pretty, false);
        return new String(writer.buf, 0, writer.length, StandardCharsets.US_ASCII);
    }

    /** Appends one monitor message: the value followed by CRLF, with CRLF line ends when pretty. */
    public QmpJsonWriter appendMessage(JsonNode value, boolean pretty) {
        append(value, pretty, true);
        ensure(2);
        buf[length++] = '\r';
        buf[length++] = '\n';
        return this;
    }

    private void append(JsonNode value, boolean pretty, boolean crlf) {
        this.pretty = pretty;
        this.crlf = crlf;
        int start = length;
        try {
            writeValue(value, 0);
        } catch (RuntimeException | Error e) {
            length = start;
            Arrays.fill(keys, 0, scratchTop, null);
            Arrays.fill(values, 0, scratchTop, null);
            scratchTop = 0;
            throw e;
        }
    }

    /** Bytes printed so far. */
    public int length() {
        return length;
    }

    /** The buffer (valid up to {@link #length()}) until the next append or clear. */
    public byte[] array() {
        return buf;
    }

    /** A view of the bytes printed so far, valid until the next append or clear. */
    public ByteBuffer toByteBuffer() {
        return ByteBuffer.wrap(buf, 0, length);
    }

    /** A copy of the bytes printed so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, length);
    }

    /** The bytes printed so far as text (they are ASCII). */
    @Override
    public String toString() {
        return new String(buf, 0, length, StandardCharsets.US_ASCII);
    }

    /** Forgets the bytes printed; keeps the buffer unless one reply made it very large. */
    public void clear() {
        length = 0;
        if (buf.length > RETAINED_CAPACITY) {
            buf = new byte[initialCapacity];
        }
    }

    /** {@code value} as {@link #writeValue} prints it at {@code depth} (for {@link PrintedValue}). */
    static byte[] print(JsonNode value, boolean pretty, int depth, boolean crlf) {
        QmpJsonWriter writer = new QmpJsonWriter();
        writer.pretty = pretty;
        writer.crlf = crlf;
        writer.writeValue(value, depth);
        return writer.toByteArray();
    }

    private void writeValue(JsonNode node, int depth) {
        switch (node.getNodeType()) {
            case POJO -> writePrinted(node, depth);
            case OBJECT -> writeObject(node, depth);
            case ARRAY -> writeArray(node, depth);
            case STRING -> quoted.write(node.textValue());
            case NUMBER -> writeNumber(node);
            case BOOLEAN -> writeAscii(node.booleanValue() ? "true" : "false");
            case NULL -> writeAscii("null");
            default ->
                throw new IllegalArgumentException(
                        "value: " + node.getNodeType() + " (expected: object, array, string, number, boolean or null)");
        }
    }

    private void writePrinted(JsonNode node, int depth) {
        if (!(node instanceof POJONode pojo) || !(pojo.getPojo() instanceof PrintedValue printed)) {
            throw new IllegalArgumentException(
                    "value: POJO (expected: object, array, string, number, boolean or null)");
        }
        byte[] bytes = printed.bytes(pretty, depth, crlf);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, length, bytes.length);
        length += bytes.length;
    }

    private void writeNumber(JsonNode node) {
        ensure(QNumFormat.MAX_LENGTH);
        switch (node.numberType()) {
            case INT, LONG -> length = QNumFormat.writeLong(node.longValue(), buf, length);
            case BIG_INTEGER -> {
                BigInteger big = node.bigIntegerValue();
                if (big.bitLength() <= 63) {
                    length = QNumFormat.writeLong(big.longValue(), buf, length);
                } else if (big.signum() > 0 && big.compareTo(UINT64_MAX) <= 0) {
                    writeAscii(big.toString());
                } else {
                    length = QNumFormat.writeDouble(big.doubleValue(), buf, length);
                }
            }
            default -> length = QNumFormat.writeDouble(node.doubleValue(), buf, length);
        }
    }

    private void writeArray(JsonNode node, int depth) {
        ensure(1);
        buf[length++] = '[';
        int n = node.size();
        for (int i = 0; i < n; i++) {
            separator(i, depth + 1);
            writeValue(node.get(i), depth + 1);
        }
        close(depth, ']');
    }

    private void writeObject(JsonNode node, int depth) {
        ensure(1);
        buf[length++] = '{';
        int n = node.size();
        if (n == 1) {
            Map.Entry<String, JsonNode> only = node.properties().iterator().next();
            writeMember(0, only.getKey(), only.getValue(), depth);
        } else if (n > 1) {
            int base = scratchTop;
            reserveScratch(base + n);
            scratchTop = base + n;
            int i = 0;
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                String key = member.getKey();
                keys[base + i] = key;
                values[base + i] = member.getValue();
                order[base + i] = QDictOrder.sortKey(QDictOrder.bucket(key), i, n);
                i++;
            }
            QDictOrder.sort(order, base, n);
            for (int k = 0; k < n; k++) {
                int at = base + QDictOrder.insertionIndex(order[base + k], n);
                writeMember(k, keys[at], values[at], depth);
            }
            Arrays.fill(keys, base, base + n, null);
            Arrays.fill(values, base, base + n, null);
            scratchTop = base;
        }
        close(depth, '}');
    }

    private void writeMember(int index, String key, JsonNode value, int depth) {
        separator(index, depth + 1);
        quoted.write(key);
        ensure(2);
        buf[length++] = ':';
        buf[length++] = ' ';
        writeValue(value, depth + 1);
    }

    /** Before member or element {@code index} of a container whose contents sit at {@code depth}. */
    private void separator(int index, int depth) {
        if (index > 0) {
            ensure(2);
            buf[length++] = ',';
            if (!pretty) {
                buf[length++] = ' ';
                return;
            }
        }
        if (pretty) {
            newline(depth);
        }
    }

    private void close(int depth, char bracket) {
        if (pretty) {
            newline(depth);
        }
        ensure(1);
        buf[length++] = (byte) bracket;
    }

    private void newline(int depth) {
        int spaces = depth * 4;
        ensure(2 + spaces);
        if (crlf) {
            buf[length++] = '\r';
        }
        buf[length++] = '\n';
        Arrays.fill(buf, length, length + spaces, (byte) ' ');
        length += spaces;
    }

    private void writeAscii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            buf[length++] = (byte) text.charAt(i);
        }
    }

    private void reserveScratch(int size) {
        if (size > order.length) {
            int capacity = Math.max(size, order.length * 2);
            order = Arrays.copyOf(order, capacity);
            keys = Arrays.copyOf(keys, capacity);
            values = Arrays.copyOf(values, capacity);
        }
    }

    // Buffer access for QuotedStr, which prints into the same buffer.

    /** Makes room for {@code more} bytes after {@link #length()}. */
    void ensure(int more) {
        long needed = (long) length + more;
        if (needed > buf.length) {
            if (needed > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("a value of " + needed + " bytes or more is longer than 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * buf.length)));
        }
    }

    byte[] buffer() {
        return buf;
    }

    void setLength(int length) {
        this.length = length;
    }
}
