package io.qmpd.differential;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * One client session: connects, sends the stream in the given chunks, and reads until the line
 * that answers the end marker (id {@code "__end__"}) arrives. The transcript is every byte the
 * server sent, greeting included. Reads are bounded (10 s without progress fails).
 */
final class QmpSession {

    static final String END_ID = "\"__end__\"";

    private QmpSession() {}

    static byte[] run(Path socket, List<byte[]> chunks) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(1 << 16);
            for (byte[] chunk : chunks) {
                ByteBuffer out = ByteBuffer.wrap(chunk);
                while (out.hasRemaining()) {
                    ch.write(out);
                    drain(ch, in, got); // never let the server block on its replies
                }
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!ended(got)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no reply to the end marker within 10 s; got:\n"
                            + got.toString(StandardCharsets.ISO_8859_1));
                }
                selector.select(200);
                selector.selectedKeys().clear();
                if (drain(ch, in, got) < 0) {
                    throw new IllegalStateException(
                            "EOF before the end marker; got:\n" + got.toString(StandardCharsets.ISO_8859_1));
                }
            }
            return got.toByteArray();
        }
    }

    private static int drain(SocketChannel ch, ByteBuffer in, ByteArrayOutputStream got) throws IOException {
        int n;
        while ((n = ch.read(in.clear())) > 0) {
            got.write(in.array(), 0, n);
        }
        return n;
    }

    private static boolean ended(ByteArrayOutputStream got) {
        String s = got.toString(StandardCharsets.ISO_8859_1);
        int at = s.lastIndexOf(END_ID);
        return at >= 0 && s.indexOf('\n', at) >= 0;
    }
}
