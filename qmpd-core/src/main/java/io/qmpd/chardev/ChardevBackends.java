package io.qmpd.chardev;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmpd.io.Descriptors;
import io.qmpd.io.Errno;
import io.qmpd.io.EventLoop;
import io.qmpd.io.HostPath;
import io.qmpd.json.MemoryBound;
import io.qmpd.qapi.QmpException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Creates a chardev from a validated QAPI {@code ChardevBackend} ({@code {"type": ..., "data":
 * {...}}}) with QEMU's defaults and texts. A failure leaves nothing behind: no socket file, no
 * listening port, no descriptor. One instance per server (it knows whether stdio is taken).
 */
public final class ChardevBackends {

    /** The backends qmpd serves, in the order {@code query-chardev-backends} lists them. */
    public static final List<String> SUPPORTED =
            List.of("file", "memory", "socket", "null", "pipe", "ringbuf", "stdio");

    private final AtomicBoolean stdioInUse = new AtomicBoolean();
    private final MemoryBound ringbufMemory;

    /** @param ringbufMemory what the server's ringbuf chardevs may hold together */
    public ChardevBackends(MemoryBound ringbufMemory) {
        this.ringbufMemory = ringbufMemory;
    }

    /**
     * @param fds takes a descriptor stored with getfd on the current monitor, by name (throws
     *            QEMU's QmpException when absent)
     * @throws QmpException the open error, without the "Failed to add chardev" prefix
     */
    public Chardev create(String id, JsonNode backend, EventLoop loop, Function<String, FileDescriptor> fds) {
        JsonNode data = backend.path("data");
        FileChannel log = data.has("logfile") ? openLog(data.get("logfile").asText(),
                data.path("logappend").asBoolean(false)) : null;
        try {
            Chardev chardev = open(id, backend.path("type").asText(), data, loop, fds);
            if (log != null) {
                chardev.logTo(log);
            }
            return chardev;
        } catch (RuntimeException e) {
            closeQuietly(log);
            throw e;
        }
    }

    /** QEMU opens the logfile first, creating it (mode 0666 less the umask), appending or truncating. */
    private static FileChannel openLog(String path, boolean append) {
        try {
            return FileChannel.open(HostPath.of(path), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw QmpException.generic("Could not create '" + path + "': " + Errno.text(e));
        }
    }

    private Chardev open(String id, String type, JsonNode data, EventLoop loop, Function<String, FileDescriptor> fds) {
        try {
            return switch (type) {
                case "null" -> new NullChardev(id, loop);
                case "ringbuf", "memory" -> new RingbufChardev(id, loop, type,
                        data.has("size") ? data.get("size").asLong() : RingbufChardev.DEFAULT_SIZE, ringbufMemory);
                case "file" -> file(id, loop, data);
                case "pipe" -> pipe(id, loop, data.path("device").asText());
                case "stdio" -> stdio(id, loop);
                case "socket" -> socket(id, loop, data, fds);
                default -> throw QmpException.generic("'" + type + "' chardevs are not supported by qmpd");
            };
        } catch (IOException e) {
            throw QmpException.generic(e.getMessage());
        }
    }

    /**
     * Whether creating {@code backend} (a chardev-add's {@code backend} as sent, unvalidated)
     * returns at once on any thread: a null or ringbuf chardev, or a unix socket that listens
     * (bind, listen, rename). Files and pipes may block in open (a FIFO waits for its reader),
     * sockets that connect wait for their peer, and TCP addresses may need a name lookup.
     */
    public static boolean createsAtOnce(JsonNode backend) {
        if (backend == null) {
            return false;
        }
        JsonNode data = backend.path("data");
        if (data.has("logfile")) {
            return false; // opening a file may block (a FIFO waits for its reader)
        }
        return switch (backend.path("type").asText()) {
            case "null", "ringbuf", "memory" -> true;
            case "socket" -> data.path("server").asBoolean(true) && "unix".equals(data.path("addr").path("type").asText());
            default -> false;
        };
    }

    /** Releases what a closed chardev held in this factory (stdio). */
    public void released(Chardev chardev) {
        if ("stdio".equals(chardev.backendKind())) {
            stdioInUse.set(false);
        }
    }

    private static Chardev file(String id, EventLoop loop, JsonNode data) {
        String outPath = data.path("out").asText();
        boolean append = data.path("append").asBoolean(false);
        InputStream in = null;
        if (data.has("in")) {
            String inPath = data.get("in").asText();
            try {
                in = Files.newInputStream(HostPath.of(inPath));
            } catch (IOException e) {
                throw couldNotOpen(inPath, e);
            }
        }
        try {
            var out = Files.newOutputStream(HostPath.of(outPath), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            return new StreamChardev(id, loop, "file", out, in, true);
        } catch (IOException e) {
            closeQuietly(in);
            throw couldNotOpen(outPath, e);
        }
    }

    /**
     * QEMU opens {@code path.in} and {@code path.out}, or else {@code path} for both, each for
     * reading and writing and never creating it: a FIFO then opens at once, without a peer.
     */
    private static Chardev pipe(String id, EventLoop loop, String path) {
        FileChannel in = null;
        FileChannel out = null;
        try {
            in = openReadWrite(path + ".in");
            out = openReadWrite(path + ".out");
        } catch (IOException e) {
            closeQuietly(in);
            in = null;
        }
        if (in == null) {
            try {
                in = openReadWrite(path);
                out = in;
            } catch (IOException e) {
                throw couldNotOpen(path, e);
            }
        }
        return new StreamChardev(id, loop, "pipe", Channels.newOutputStream(out), Channels.newInputStream(in), true);
    }

    private static FileChannel openReadWrite(String path) throws IOException {
        return FileChannel.open(HostPath.of(path), StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private Chardev stdio(String id, EventLoop loop) {
        if (!stdioInUse.compareAndSet(false, true)) {
            throw QmpException.generic("cannot use stdio by multiple character devices");
        }
        return new StreamChardev(id, loop, "stdio", new FileOutputStream(FileDescriptor.out),
                new FileInputStream(FileDescriptor.in), false);
    }

    private static Chardev socket(String id, EventLoop loop, JsonNode data, Function<String, FileDescriptor> fds)
            throws IOException {
        JsonNode addr = data.path("addr");
        String addrType = addr.path("type").asText();
        JsonNode a = addr.path("data");
        boolean server = data.path("server").asBoolean(true);
        boolean nodelay = data.path("nodelay").asBoolean(false);
        SocketOptions.validate(data, addrType, server);
        UnixSocketMode mode = SocketOptions.mode(data, addrType, server);
        long reconnectMillis = data.has("reconnect-ms") ? data.get("reconnect-ms").asLong()
                : data.path("reconnect").asLong(0) * 1000;
        switch (addrType) {
            case "fd" -> {
                String name = a.path("str").asText();
                FileDescriptor fd = fds.apply(name);
                try {
                    return server ? SocketChardev.listenOn(id, loop, Descriptors.adoptListener(fd), name)
                            : SocketChardev.adopt(id, loop, Descriptors.adoptSocket(fd), name);
                } catch (IOException e) {
                    Descriptors.close(fd);
                    throw QmpException.generic("File descriptor '" + name + "' is not a socket");
                }
            }
            case "unix", "inet" -> {
                SocketAddress sa = SocketOptions.address(addrType, a, server);
                if (server) {
                    // wait: true is accepted but never blocks the dispatcher (docs/compat.md).
                    try {
                        return SocketChardev.listen(id, loop, sa, nodelay, false, mode);
                    } catch (IOException e) {
                        throw QmpException.generic(SocketOptions.bindFailure(sa, e));
                    }
                }
                return SocketChardev.connect(id, loop, sa, nodelay, reconnectMillis);
            }
            default -> throw QmpException.generic("'" + addrType + "' socket addresses are not supported by qmpd");
        }
    }

    static QmpException couldNotOpen(String path, IOException e) {
        return QmpException.generic("Could not open '" + path + "': " + Errno.text(e));
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing more to do on the failure path
            }
        }
    }
}
