package io.qmpd.chardev;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmpd.io.Errno;
import io.qmpd.io.HostPath;
import io.qmpd.qapi.QmpException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chardev backends a server serves, by name, and what every backend shares: the
 * {@code logfile} a chardev copies its output to, and QEMU's texts. Immutable.
 */
public final class ChardevBackends {

    /** qmpd's own backends, in the order QEMU 7.2's {@code query-chardev-backends} lists them. */
    public static final ChardevBackends BUILTIN = new ChardevBackends(List.of(
            new PtyBackend(),
            new FileBackend(),
            new RingbufBackend("memory"),
            new SocketBackend(),
            new NullBackend(),
            new PipeBackend(),
            new RingbufBackend("ringbuf"),
            new StdioBackend()));

    private final Map<String, ChardevBackend> byName = new LinkedHashMap<>();

    private ChardevBackends(List<ChardevBackend> backends) {
        for (ChardevBackend b : backends) {
            if (byName.putIfAbsent(b.name(), b) != null) {
                throw new IllegalArgumentException("backend: " + b.name() + " (expected: one backend per name)");
            }
        }
    }

    /** These backends and {@code more} (an embedder's own), listed after them. */
    public ChardevBackends with(List<ChardevBackend> more) {
        List<ChardevBackend> all = new ArrayList<>(byName.values());
        all.addAll(more);
        return new ChardevBackends(all);
    }

    /** The backend names, in {@code query-chardev-backends} order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public Optional<ChardevBackend> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * Creates a chardev from a validated QAPI {@code ChardevBackend} ({@code {"type": ...,
     * "data": {...}}}): the logfile first, as QEMU opens it, then the backend. A failure leaves
     * nothing behind.
     *
     * @throws QmpException the open error, without the "Failed to add chardev" prefix
     */
    public Chardev create(String id, JsonNode backend, ChardevContext context) {
        String type = backend.path("type").asText();
        ChardevBackend kind =
                find(type).orElseThrow(() -> QmpException.generic("'" + type + "' chardevs are not supported by qmpd"));
        JsonNode data = backend.path("data");
        FileChannel log = data.has("logfile")
                ? openLog(data.get("logfile").asText(), data.path("logappend").asBoolean(false))
                : null;
        try {
            Chardev chardev = kind.create(id, data, context);
            if (log != null) {
                chardev.logTo(log);
            }
            return chardev;
        } catch (IOException e) {
            closeQuietly(log);
            throw QmpException.generic(e.getMessage());
        } catch (RuntimeException e) {
            closeQuietly(log);
            throw e;
        }
    }

    /**
     * Whether creating {@code backend} (a chardev-add's {@code backend} as sent, unvalidated)
     * returns at once on any thread ({@link ChardevBackend#createsAtOnce}); never with a logfile,
     * whose open may block (a FIFO waits for its reader).
     */
    public boolean createsAtOnce(JsonNode backend) {
        if (backend == null || backend.path("data").has("logfile")) {
            return false;
        }
        return find(backend.path("type").asText())
                .map(b -> b.createsAtOnce(backend.path("data")))
                .orElse(false);
    }

    /** QEMU opens the logfile first, creating it (mode 0666 less the umask), appending or truncating. */
    private static FileChannel openLog(String path, boolean append) {
        try {
            return FileChannel.open(
                    HostPath.of(path),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw QmpException.generic("Could not create '" + path + "': " + Errno.text(e));
        }
    }

    static QmpException couldNotOpen(String path, IOException e) {
        return QmpException.generic("Could not open '" + path + "': " + Errno.text(e));
    }

    static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing more to do on the failure path
            }
        }
    }
}
