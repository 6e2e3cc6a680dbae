package io.qmpd.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmpd.chardev.ChardevBackend;
import io.qmpd.chardev.ChardevBackends;
import io.qmpd.chardev.ChardevRegistry;
import io.qmpd.command.CommandRegistry;
import io.qmpd.command.MonitorHotplug;
import io.qmpd.json.VersionInfo;
import io.qmpd.monitor.Greeting;
import io.qmpd.qapi.Schema;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Configures a {@link QmpServer}. Not thread-safe; {@link #build()} may be called more than once. */
public final class QmpServerBuilder {

    /** The version a server claims unless told otherwise: QEMU 11.0.0, whose API qmpd serves. */
    public static final VersionInfo DEFAULT_VERSION = new VersionInfo(11, 0, 0, "qmpd 0.1.0");

    /** The default of {@link #ioPollMaxNanos(long)}: 32 µs, as QEMU's iothreads. */
    public static final long DEFAULT_IO_POLL_MAX_NANOS = 32_768;

    private VersionInfo version = DEFAULT_VERSION;
    private Schema schema;
    private Clock clock = Clock.systemUTC();
    private Backend backend = Backend.NONE;
    private boolean offerOob = true;
    private final List<ChardevBackend> chardevBackends = new ArrayList<>();
    private UnaryOperator<JsonNode> introspection = UnaryOperator.identity();
    private Consumer<CommandRegistry.Builder> extraCommands = b -> {};
    private final Set<String> pending = new LinkedHashSet<>();
    private int maxChardevs = ChardevRegistry.DEFAULT_LIMIT;
    private long ringbufMemoryLimit = Runtime.getRuntime().maxMemory() / 16;
    private long inputMemoryLimit = Runtime.getRuntime().maxMemory() / 8;
    private long namesMemoryLimit = Runtime.getRuntime().maxMemory() / 16;
    private int maxMonitors = MonitorHotplug.DEFAULT_LIMIT;
    private long ioPollMaxNanos = DEFAULT_IO_POLL_MAX_NANOS;

    QmpServerBuilder() {}

    /** The version the greeting and {@code query-version} report (default QEMU 11.0.0, "qmpd 0.1.0"). */
    public QmpServerBuilder version(VersionInfo v) {
        this.version = Objects.requireNonNull(v, "version");
        return this;
    }

    /** The schema (default qmpd's own, {@link Schema#builtin()}, plus the back end's files). */
    public QmpServerBuilder schema(Schema s) {
        this.schema = Objects.requireNonNull(s, "schema");
        return this;
    }

    /** The wall clock of event timestamps. */
    public QmpServerBuilder clock(Clock c) {
        this.clock = Objects.requireNonNull(c, "clock");
        return this;
    }

    /**
     * What serves the commands qmpd does not serve itself: the simulated machine (qmpd-machine's
     * {@code MachineBackend}), a real QEMU, or an embedder's own.
     * Default {@link Backend#NONE}: the server serves qmpd's own commands alone.
     */
    public QmpServerBuilder backend(Backend b) {
        this.backend = Objects.requireNonNull(b, "backend");
        return this;
    }

    /**
     * Whether greetings may offer the {@code oob} capability (default true; a monitor offers it
     * only on a chardev served from the I/O thread, as QEMU). A back end in front of a QEMU that
     * does not offer it turns this off.
     */
    public QmpServerBuilder offerOob(boolean offer) {
        this.offerOob = offer;
        return this;
    }

    /**
     * What {@code query-qmp-schema} answers, made once at its first call from the server's schema's
     * own introspection (default: that, unchanged). A back end whose commands the local schema
     * does not declare (they go to its {@link CommandRegistry.Builder#fallback fallback}) answers
     * with its own list merged with it.
     */
    public QmpServerBuilder introspection(UnaryOperator<JsonNode> answer) {
        this.introspection = Objects.requireNonNull(answer, "answer");
        return this;
    }

    /**
     * A chardev backend of the embedder's own, served by {@code chardev-add} after qmpd's
     * ({@link ChardevBackends#BUILTIN}); its type must be one the schema's {@code ChardevBackend}
     * union declares, and a name qmpd already serves is a start-up error. The command line and
     * HMP read its {@code -chardev} options too.
     */
    public QmpServerBuilder chardevBackend(ChardevBackend backend) {
        chardevBackends.add(Objects.requireNonNull(backend, "backend"));
        return this;
    }

    /** Registers further handlers (an embedder's own commands, declared in its schema files). */
    public QmpServerBuilder commands(Consumer<CommandRegistry.Builder> registrar) {
        Consumer<CommandRegistry.Builder> before = this.extraCommands;
        Objects.requireNonNull(registrar, "registrar");
        this.extraCommands = b -> {
            before.accept(b);
            registrar.accept(b);
        };
        return this;
    }

    /**
     * Schema commands that are declared but not served (see {@link CommandRegistry.Builder#pending});
     * none by default: every command of the builtin schema is served.
     */
    public QmpServerBuilder pendingCommands(Collection<String> names) {
        pending.clear();
        pending.addAll(names);
        return this;
    }

    /**
     * How many chardevs may exist at once (default {@value ChardevRegistry#DEFAULT_LIMIT}); past it
     * {@code chardev-add} fails with {@code Failed to add chardev '<id>': too many chardevs (limit <n>)}.
     *
     * @throws IllegalArgumentException if {@code limit} is below 1
     */
    public QmpServerBuilder maxChardevs(int limit) {
        this.maxChardevs = requirePositive(limit, "maxChardevs");
        return this;
    }

    /**
     * How many monitors may exist at once, command-line ones included (default
     * {@value MonitorHotplug#DEFAULT_LIMIT}); past it {@code monitor-add} and {@code object-add}
     * fail with {@code monitor limit reached (<n>)}.
     *
     * @throws IllegalArgumentException if {@code limit} is below 1
     */
    public QmpServerBuilder maxMonitors(int limit) {
        this.maxMonitors = requirePositive(limit, "maxMonitors");
        return this;
    }

    /**
     * The longest the event loop may keep polling for more work after handling some, before it
     * sleeps (default {@value #DEFAULT_IO_POLL_MAX_NANOS} ns, QEMU's own default for its
     * iothreads' {@code poll-max-ns}; 0: it sleeps at once). The window adapts: it grows while
     * work keeps coming soon after the last, and falls to nothing for clients that pause longer
     * than this (ADR 9). A client that sends its next request right after a reply then finds the
     * loop awake, which saves the loop's wake-up for each request (docs/performance.md).
     *
     * @throws IllegalArgumentException if {@code nanos} is negative
     */
    public QmpServerBuilder ioPollMaxNanos(long nanos) {
        this.ioPollMaxNanos = requireNotNegative(nanos, "ioPollMaxNanos");
        return this;
    }

    /**
     * How many bytes all ringbuf chardevs may hold together (default: a sixteenth of the heap).
     * A ring takes memory only as it is written, a page at a time, so its declared size costs
     * nothing; a {@code ringbuf-write} that would take the rings past this limit fails with
     * {@code ringbuf memory limit reached (<n> bytes)}, and a monitor's output into a full ring is
     * lost.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public QmpServerBuilder ringbufMemoryLimit(long bytes) {
        this.ringbufMemoryLimit = requireNotNegative(bytes, "ringbufMemoryLimit");
        return this;
    }

    /**
     * How many bytes the partial input of all QMP monitors may hold together, beyond the little
     * each keeps between values (default: an eighth of the heap). QEMU bounds only one value, at
     * 64 MiB; past this bound the value that would take the input further is dropped with
     * {@code JSON token size limit exceeded}, as a value past 64 MiB is.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public QmpServerBuilder inputMemoryLimit(long bytes) {
        this.inputMemoryLimit = requireNotNegative(bytes, "inputMemoryLimit");
        return this;
    }

    /**
     * How many bytes the names and values clients make the server keep may take together:
     * chardev and object (monitor) ids, {@code getfd} names, secrets (default: a sixteenth of the
     * heap). QEMU keeps any number of any size; past this, what would add one fails with
     * {@code memory for names and values is exhausted (limit <n> bytes)}.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public QmpServerBuilder namesMemoryLimit(long bytes) {
        this.namesMemoryLimit = requireNotNegative(bytes, "namesMemoryLimit");
        return this;
    }

    private static long requireNotNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + value);
        }
        return value;
    }

    private static int requirePositive(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1: " + value);
        }
        return value;
    }

    /** @throws IllegalStateException if a handler and the schema disagree */
    public QmpServer build() {
        Schema s = schema != null ? schema : Schema.forBackend(backend.schemaResources());
        return new QmpServer(new QmpServerConfig(
                new Greeting(version, offerOob),
                s,
                clock,
                backend,
                ChardevBackends.BUILTIN.with(chardevBackends),
                introspection,
                extraCommands,
                pending,
                maxChardevs,
                maxMonitors,
                ioPollMaxNanos,
                ringbufMemoryLimit,
                inputMemoryLimit,
                namesMemoryLimit));
    }
}
