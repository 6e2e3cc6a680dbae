package io.qmpd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.chardev.Chardev;
import io.qmpd.chardev.ChardevBackends;
import io.qmpd.chardev.ChardevRegistry;
import io.qmpd.command.ChardevCommands;
import io.qmpd.command.CommandEnvironment;
import io.qmpd.command.CommandGroup;
import io.qmpd.command.CommandRegistry;
import io.qmpd.command.ControlCommands;
import io.qmpd.command.FdCommands;
import io.qmpd.command.HostCall;
import io.qmpd.command.MonitorCommands;
import io.qmpd.command.MonitorHotplug;
import io.qmpd.command.QmpDispatch;
import io.qmpd.command.QomCommands;
import io.qmpd.command.YankCommands;
import io.qmpd.command.YankInstances;
import io.qmpd.event.EventBroadcaster;
import io.qmpd.event.EventThrottle;
import io.qmpd.event.MonitorEvents;
import io.qmpd.event.ShutdownCause;
import io.qmpd.hmp.HmpCommands;
import io.qmpd.hmp.HmpDispatch;
import io.qmpd.hmp.HmpMonitor;
import io.qmpd.hmp.HumanMonitorCommand;
import io.qmpd.io.DescriptorReader;
import io.qmpd.io.Descriptors;
import io.qmpd.io.EventLoop;
import io.qmpd.io.NameMemory;
import io.qmpd.json.MemoryBound;
import io.qmpd.json.PrintedValue;
import io.qmpd.json.VersionInfo;
import io.qmpd.monitor.Caller;
import io.qmpd.monitor.Dispatcher;
import io.qmpd.monitor.Monitor;
import io.qmpd.monitor.MonitorInfo;
import io.qmpd.monitor.MonitorList;
import io.qmpd.monitor.QmpMonitor;
import io.qmpd.monitor.QmpReply;
import io.qmpd.qapi.ErrorClass;
import io.qmpd.qapi.QmpError;
import io.qmpd.qapi.QmpException;
import io.qmpd.qapi.Schema;
import io.qmpd.qom.ObjectContainer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable QMP server: one event loop ({@code qmpd-io-0}) for all chardevs, one
 * {@link Dispatcher} ({@code qmpd-dispatcher}) for all in-band commands, the chardev registry,
 * the monitors, the command registry, the event broadcaster and the {@link Backend}. It wires
 * them and holds no protocol logic of its own.
 *
 * <p>Lifecycle: {@link #builder()} → {@link #start()} → {@link #close()} (idempotent, any thread;
 * also triggered by the {@code quit} command). Registries change only on the dispatcher: the
 * {@code add*} methods run there and wait for it.
 */
public final class QmpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QmpServer.class);

    /**
     * Builtin commands that only read state, quickly, and never wait for the event loop: run on
     * the loop when the dispatcher is idle ({@link CommandRegistry.Builder#inline}).
     * {@code query-qmp-schema} is left out: its 200 KB reply would hold up every other client's I/O.
     */
    private static final List<String> INLINE_BUILTINS = List.of(
            "qmp_capabilities",
            "query-version",
            "query-commands",
            "query-monitors",
            "query-chardev",
            "query-chardev-backends");

    private enum State {
        NEW,
        RUNNING,
        CLOSING,
        CLOSED
    }

    private final QmpServerConfig config;
    private final CommandRegistry commands;
    private final EventBroadcaster events;
    /** What the back end asked to close once the server has stopped. */
    private final Backend.Attached backend;
    /** query-qmp-schema's answer, asked for at its first call. */
    private final Supplier<JsonNode> introspection;

    private final QmpDispatch dispatch;
    private final HmpCommands hmp;
    /** Read by the broadcaster from any thread; changed on the dispatcher. */
    private final MonitorList monitors = new MonitorList();
    /** Dispatcher-confined. */
    private final ObjectContainer objects;
    /** Dispatcher-confined. */
    private final ChardevRegistry chardevs;
    /** What the partial input of every QMP monitor may hold together. */
    private final MemoryBound inputMemory;
    /** What names and values clients make the server keep are charged to. */
    private final NameMemory names;

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    /** What qmpd's own command groups see of this server. */
    private final CommandEnvironment environment = new Environment();

    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> quitFuture = new CompletableFuture<>();
    private volatile EventLoop loop;
    private volatile Dispatcher dispatcher;
    private volatile MonitorHotplug hotplug;
    /** What every QMP monitor shares; set at start. */
    private volatile QmpMonitor.Shared qmpShared;
    /** Set once, before the close it causes: the error that ended a thread of the server. */
    private volatile Throwable fatalError;
    /** Set once, before the close it causes: why the back end could no longer serve. */
    private volatile String backendFailure;

    QmpServer(QmpServerConfig config) {
        this.config = config;
        this.names = new NameMemory(config.namesMemoryLimit());
        this.chardevs = new ChardevRegistry(config.maxChardevs(), names);
        this.objects = new ObjectContainer(names);
        this.inputMemory = new MemoryBound(config.inputMemoryLimit());
        this.events = new MonitorEvents(
                config.schema(),
                config.clock(),
                () -> monitors,
                new EventThrottle(EventThrottle.QEMU_RULES, (delay, task) -> loop().schedule(delay, task)));
        // printed once per layout: the answer cannot change while the server runs
        this.introspection = memoize(() ->
                PrintedValue.of(config.introspection().apply(config.schema().introspect())));
        this.hmp = new HmpCommands(environment);
        List<CommandGroup> ownCommands = List.of(
                ControlCommands::registerAll,
                MonitorCommands::registerAll,
                QomCommands::registerAll,
                new HumanMonitorCommand(hmp, environment)::registerAll,
                new ChardevCommands(
                                chardevs,
                                config.chardevBackends(),
                                this::loop,
                                new MemoryBound(config.ringbufMemoryLimit()))::registerAll,
                new YankCommands(new YankInstances(chardevs))::registerAll,
                FdCommands::registerAll);
        CommandRegistry.Builder registry = CommandRegistry.builder(config.schema());
        ownCommands.forEach(group -> group.registerAll(registry));
        registry.inline(INLINE_BUILTINS.stream()
                .filter(name -> config.schema().command(name).isPresent()) // builtins register iff declared
                .toList());
        this.backend = config.backend().attach(registry, new Host());
        config.extraCommands().accept(registry);
        registry.pending(config.pendingCommands());
        this.commands = registry.build();
        this.dispatch = new QmpDispatch(environment);
    }

    public static QmpServerBuilder builder() {
        return new QmpServerBuilder();
    }

    /** Starts the event loop and the dispatcher. */
    public QmpServer start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("state: " + state.get());
        }
        loop = new EventLoop("qmpd-io-0", config.ioPollMaxNanos(), this::threadDied);
        dispatcher = new Dispatcher("qmpd-dispatcher", this::threadDied);
        qmpShared = new QmpMonitor.Shared(config.greeting(), dispatcher, dispatch, inputMemory, names);
        hotplug = new MonitorHotplug(
                monitors,
                objects,
                chardevs,
                dispatcher,
                this::newQmpMonitor,
                (id, chardev, dynamic, readline) -> newHmpMonitor(id, chardev, dynamic),
                config.maxMonitors());
        return this;
    }

    /**
     * A thread the server cannot serve without has ended on an error: rather than go on with
     * monitors nobody answers, the server closes (its clients see the connection end) and
     * {@link #fatalError()} says why.
     */
    private synchronized void threadDied(String threadName, Throwable cause) {
        if (fatalError == null) {
            fatalError = cause;
        }
        close();
    }

    /**
     * The error that ended one of the server's threads and so closed the server, if any; set
     * before {@link #closeFuture()} completes. The daemon exits with status 1 on it.
     */
    public Optional<Throwable> fatalError() {
        return Optional.ofNullable(fatalError);
    }

    /**
     * Why the back end ended the run, if it did ({@link BackendHost#fail}); set before
     * {@link #closeFuture()} completes. The daemon exits with status 1 on it.
     */
    public Optional<String> backendFailure() {
        return Optional.ofNullable(backendFailure);
    }

    /**
     * Why descriptors sent with SCM_RIGHTS cannot be received in this JVM (JDK internals not
     * opened, or not 64-bit Linux); empty when they can. Without it
     * {@code getfd} and its kin answer as if no descriptor had been sent: a program embedding
     * qmpd should refuse to start, as the daemon does.
     */
    public static Optional<String> descriptorPassingUnavailable() {
        return Descriptors.unavailableReason().or(DescriptorReader::unavailableReason);
    }

    private QmpMonitor newQmpMonitor(String id, Chardev chardev, boolean dynamic, boolean pretty) {
        return new QmpMonitor(id, chardev, dynamic, pretty, qmpShared);
    }

    private HmpMonitor newHmpMonitor(String id, Chardev chardev, boolean dynamic) {
        HmpDispatch lines = backend.hmpLines()
                .map(made -> HmpDispatch.forwarding(made.get()))
                .orElse(hmp);
        return new HmpMonitor(id, chardev, dynamic, config.greeting().version(), dispatcher, lines, names);
    }

    /** The event loop chardevs are served on; inside the server (tests reach it through their own accessor). */
    EventLoop loop() {
        return requireStarted(loop);
    }

    /** qmpd's big lock; inside the server (embedders use {@link #callOnDispatcher}). */
    Dispatcher dispatcher() {
        return requireStarted(dispatcher);
    }

    /**
     * Runs {@code task} on the dispatcher (qmpd's big lock) and waits for it; on the dispatcher it
     * runs at once. A {@link QmpException} or other runtime exception of the task is rethrown.
     */
    public <T> T callOnDispatcher(Callable<T> task) {
        try {
            return dispatcher().submit(task).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /**
     * Creates and registers a chardev as {@code chardev-add} does (QEMU's {@code -chardev}):
     * {@code backend} is {@code chardev-add}'s {@code {"type": ..., "data": {...}}}, served by the
     * server's chardev backends.
     *
     * @return {@code chardev-add}'s answer: {@code {}}, or {@code {"pty": "/dev/pts/N"}} for a pty
     * @throws QmpException QEMU's error, as {@code chardev-add} answers it
     */
    public JsonNode addChardev(String id, ObjectNode backend) {
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("execute", "chardev-add");
        request.putObject("arguments").put("id", id).set("backend", backend);
        ObjectNode response = execute(request);
        JsonNode error = response.get("error");
        if (error != null) {
            throw new QmpException(new QmpError(
                    ErrorClass.valueOf(error.path("class").asText()),
                    error.path("desc").asText()));
        }
        return response.get("return");
    }

    /** Registers a chardev made on this server's loop (a backend's, say); QEMU's duplicate-id error. */
    public void addChardev(Chardev chardev) {
        callOnDispatcher(() -> {
            chardevs.add(chardev);
            return null;
        });
    }

    /**
     * Creates a QMP monitor on an existing chardev (QEMU's {@code -mon chardev=ID,mode=control}).
     *
     * @param id      monitor id, or null
     * @param dynamic whether it counts as added at run time
     * @throws QmpException {@code chardev "X" not found} or {@code chardev 'X' is already in use}
     */
    public void addQmpMonitor(String id, String chardevId, boolean pretty, boolean dynamic) {
        callOnDispatcher(() ->
                hotplug().addCommandLine(newQmpMonitor(id, hotplug().chardevForMonitor(chardevId), dynamic, pretty)));
    }

    /**
     * Creates an HMP monitor in readline mode on an existing chardev (QEMU's
     * {@code -mon chardev=ID,mode=readline} and {@code -monitor DEV}).
     *
     * @param id      monitor id, or null
     * @param dynamic whether it counts as added at run time
     * @throws QmpException {@code chardev "X" not found} or {@code chardev 'X' is already in use}
     */
    public void addHmpMonitor(String id, String chardevId, boolean dynamic) {
        callOnDispatcher(
                () -> hotplug().addCommandLine(newHmpMonitor(id, hotplug().chardevForMonitor(chardevId), dynamic)));
    }

    /**
     * A monitor object of the command line (QEMU's {@code -object monitor-qmp,...}): not dynamic,
     * its id a name under {@code /objects}, removed with its client if {@code deleteOnClose}.
     *
     * @throws QmpException QEMU's error ({@code chardev "X" not found}, an id in use, ...)
     */
    public void addQmpMonitorObject(String id, String chardevId, boolean pretty, boolean deleteOnClose) {
        callOnDispatcher(() -> hotplug().objectAddQmp(id, chardevId, pretty, deleteOnClose, false));
    }

    /**
     * {@code -object monitor-hmp,...} of the command line, as {@link #addQmpMonitorObject} does for
     * QMP.
     *
     * @throws QmpException QEMU's error
     */
    public void addHmpMonitorObject(String id, String chardevId, boolean readline) {
        callOnDispatcher(() -> hotplug().objectAddHmp(id, chardevId, readline, false));
    }

    /**
     * Before the command line's monitors are made: the ids they and its monitor objects will take,
     * so that those without an id are named around them ({@code compat_monitor<N>}, as QEMU).
     */
    public void keepIdsForCommandLine(Collection<String> ids) {
        callOnDispatcher(() -> {
            hotplug().keepIdsForCommandLine(ids);
            return null;
        });
    }

    /**
     * Runs one QMP command as the host would, with no monitor (the daemon's {@code -chardev} runs
     * {@code chardev-add} this way, so the command line and QMP build chardevs alike). Waits for
     * the dispatcher and for a command that answers later; not to be called on the dispatcher
     * for such a command. Returns the response ({@code {"return": ..}} or {@code {"error": ..}}).
     */
    public ObjectNode execute(ObjectNode request) {
        QmpReply reply = callOnDispatcher(() -> dispatch.dispatch(Caller.HOST, request, 0))
                .toCompletableFuture()
                .join();
        callOnDispatcher(() -> {
            reply.afterReply().forEach(Runnable::run);
            return null;
        });
        return reply.response();
    }

    /** The monitors now, in creation order, as {@code query-monitors} lists them. */
    public List<MonitorInfo> monitors() {
        return monitors.snapshot().stream().map(Monitor::info).toList();
    }

    /** A snapshot of the monitors themselves; inside the server. */
    List<Monitor> monitorList() {
        return monitors.snapshot();
    }

    /** Monitors that come and go; inside the server. */
    MonitorHotplug hotplug() {
        return requireStarted(hotplug);
    }

    /** Dispatcher-confined: the chardevs; inside the server. */
    ChardevRegistry chardevs() {
        assert dispatcher == null || dispatcher.inDispatcher() : "chardevs off the dispatcher";
        return chardevs;
    }

    /** The version the greeting and {@code query-version} report. */
    public VersionInfo version() {
        return config.greeting().version();
    }

    public Schema schema() {
        return config.schema();
    }

    public CommandRegistry commands() {
        return commands;
    }

    /** Emits events outside a handler (a handler has {@code ctx.events()}). */
    public EventBroadcaster events() {
        return events;
    }

    /** The server as qmpd's own command groups see it: its parts, as it wires them. */
    private final class Environment implements CommandEnvironment {
        @Override
        public VersionInfo version() {
            return QmpServer.this.version();
        }

        @Override
        public Schema schema() {
            return QmpServer.this.schema();
        }

        @Override
        public CommandRegistry commands() {
            return commands;
        }

        @Override
        public EventBroadcaster events() {
            return events;
        }

        @Override
        public ChardevBackends chardevBackends() {
            return config.chardevBackends();
        }

        @Override
        public String machineQomType() {
            return backend.machineQomType();
        }

        @Override
        public JsonNode introspection() {
            return introspection.get();
        }

        @Override
        public MonitorHotplug hotplug() {
            return QmpServer.this.hotplug();
        }

        @Override
        public void quit() {
            QmpServer.this.quit();
        }
    }

    /** {@code supplier}'s value, computed at the first call (racing first calls may both compute it). */
    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        AtomicReference<T> value = new AtomicReference<>();
        return () -> {
            T v = value.get();
            if (v == null) {
                v = supplier.get();
                value.compareAndSet(null, v);
            }
            return value.get();
        };
    }

    /** The {@code quit} command: shuts the server down; {@link #quitFuture()} completes once it is down. */
    public void quit() {
        closeFuture.thenRun(() -> quitFuture.complete(null));
        Dispatcher d = dispatcher;
        if (d != null && d.inDispatcher()) {
            // QEMU's main loop ends before its monitor dispatcher runs another request: so here,
            // not once the teardown thread has started (returns at once on the dispatcher)
            d.close();
        }
        close();
    }

    /**
     * Ends the run the way QEMU's main loop does for a shutdown request from the host: emits
     * {@code SHUTDOWN} with {@code cause}'s data (say {@code host-signal}) on the dispatcher, after
     * the command running now, then closes as {@link #quit()} does. Any thread; returns at once.
     */
    public void requestShutdown(ShutdownCause cause) {
        Dispatcher d = dispatcher;
        if (d == null || state.get() != State.RUNNING) {
            close();
            return;
        }
        d.execute(() -> {
            try {
                events.emit("SHUTDOWN", cause.eventData());
            } finally {
                quit();
            }
        });
    }

    /** What the back end may ask of this server. */
    private final class Host implements BackendHost {
        @Override
        public EventBroadcaster events() {
            return events;
        }

        @Override
        public void schedule(Duration delay, Runnable task) {
            loop().schedule(delay.toMillis(), () -> {
                if (state.get() == State.RUNNING) {
                    dispatcher().execute(task);
                }
            });
        }

        @Override
        public void execute(Runnable task) {
            if (state.get() == State.RUNNING) {
                try {
                    dispatcher().runOrExecute(task);
                } catch (IllegalStateException closing) {
                    // the server closes meanwhile: nobody is left to serve the task
                }
            }
        }

        @Override
        public boolean hasObject(String id) {
            return objects.find(id).isPresent();
        }

        @Override
        public boolean hasChardev(String id) {
            return chardevs().find(id).isPresent();
        }

        @Override
        public List<String> chardevIds() {
            return chardevs().all().stream().map(Chardev::id).toList();
        }

        @Override
        public JsonNode runOwn(String name, ObjectNode arguments) {
            HostCall call = HostCall.run(environment, name, arguments);
            call.afterReply().forEach(Runnable::run);
            return call.value();
        }

        @Override
        public void exit() {
            quit();
        }

        @Override
        public void fail(String reason) {
            synchronized (QmpServer.this) {
                if (backendFailure == null) {
                    backendFailure = Objects.requireNonNull(reason, "reason");
                }
            }
            close();
        }
    }

    /** Completes after a {@code quit} command has shut the server down (the daemon then exits 0). */
    public CompletableFuture<Void> quitFuture() {
        return quitFuture;
    }

    /** Completes once the server is closed and every thread it started has ended. */
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    /**
     * Stops everything, in this order: the dispatcher (queued requests stay unanswered), the
     * monitors (detached from their chardevs), the chardevs, the event loop. Idempotent. From a
     * server thread (a command handler, a chardev callback) the work moves to a short-lived
     * {@code qmpd-close} thread and this returns at once; otherwise it returns when done.
     */
    @Override
    public void close() {
        State s = state.get();
        while (s == State.NEW || s == State.RUNNING) {
            if (state.compareAndSet(s, State.CLOSING)) {
                if (s == State.NEW) {
                    state.set(State.CLOSED);
                    closeFuture.complete(null);
                    return;
                }
                if (dispatcher.inDispatcher() || loop.inEventLoop()) {
                    Thread closer = new Thread(this::teardown, "qmpd-close");
                    closer.setDaemon(true);
                    closer.start();
                    return;
                }
                teardown();
                return;
            }
            s = state.get();
        }
        if (!dispatcher.inDispatcher() && !loop.inEventLoop()) {
            closeFuture.join();
        }
    }

    private void teardown() {
        try {
            dispatcher.close();
            for (Monitor m : monitors) {
                m.destroy();
            }
            for (Monitor m : monitors) {
                m.closeFuture().join();
            }
            monitors.clear();
            objects.clear();
            chardevs.close();
            loop.close();
            backend.close();
        } catch (Exception e) {
            log.error("server teardown failed", e);
        } finally {
            state.set(State.CLOSED);
            closeFuture.complete(null);
        }
    }

    private <T> T requireStarted(T part) {
        if (part == null) {
            throw new IllegalStateException("state: " + state.get() + " (expected: started)");
        }
        return part;
    }
}
