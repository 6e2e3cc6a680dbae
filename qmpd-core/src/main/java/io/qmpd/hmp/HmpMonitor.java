package io.qmpd.hmp;

import io.qmpd.chardev.Chardev;
import io.qmpd.io.NameMemory;
import io.qmpd.json.VersionInfo;
import io.qmpd.monitor.Dispatcher;
import io.qmpd.monitor.Monitor;
import io.qmpd.monitor.MonitorMode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HMP monitor in readline mode (QEMU's {@code MonitorHMP}): greets each client with
 * {@code QEMU x.y.z monitor - type 'help' for more information} and the {@code (qemu) } prompt,
 * edits lines with {@link Readline}, and hands each finished line to the {@link Dispatcher}. While
 * a line runs the monitor reads nothing more (QEMU suspends it): the rest of the input stays
 * unconsumed in the chardev until the output and the next prompt are written. HMP monitors get
 * no events.
 *
 * <p>Threads: readline, the session, and the suspension flags are confined to the chardev's loop
 * thread. The line waiting for the dispatcher is handed over through an atomic reference; the
 * dispatcher runs it and hands the output back to the loop thread, which writes it, prompts and
 * reads again.
 */
public final class HmpMonitor extends Monitor {

    private static final Logger log = LoggerFactory.getLogger(HmpMonitor.class);

    static final String PROMPT = "(qemu) ";

    /** A finished line waiting for the dispatcher. */
    private record Job(long session, String line, List<String> history) {}

    private final VersionInfo version;
    private final Dispatcher dispatcher;
    private final HmpDispatch commands;
    private final AtomicReference<Job> pending = new AtomicReference<>();

    // ---- loop thread only ----
    private final Readline readline;
    private long session;
    private boolean open;
    /** A line of this monitor is queued or running; input is not read meanwhile. */
    private boolean inFlight;
    /** received() left input unconsumed; acceptInput is owed once the line is done. */
    private boolean inputHeld;
    /** quit ran: never prompt or read again. */
    private boolean halted;

    /** @param names what the names of {@code getfd} descriptors are charged to */
    public HmpMonitor(
            String id,
            Chardev chardev,
            boolean dynamic,
            VersionInfo version,
            Dispatcher dispatcher,
            HmpDispatch commands,
            NameMemory names) {
        super(id, chardev, dynamic, names);
        this.version = Objects.requireNonNull(version, "version");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.readline = new Readline(PROMPT, commands::complete);
    }

    @Override
    public MonitorMode mode() {
        return MonitorMode.readline;
    }

    /** QEMU's greeting line for {@code version}. */
    public static String greeting(VersionInfo version) {
        return "QEMU " + version.major() + "." + version.minor() + "." + version.micro()
                + " monitor - type 'help' for more information\n";
    }

    // ---- chardev callbacks (loop thread) ----

    @Override
    public void opened() {
        session++;
        open = true;
        HmpOutput out = new HmpOutput().print(greeting(version));
        readline.restart();
        readline.showPrompt(out);
        chardev().write(out.toBytes());
    }

    @Override
    public void closed() {
        session++;
        open = false;
    }

    @Override
    public void received(ByteBuffer input) {
        if (inFlight || halted) {
            inputHeld = true;
            return;
        }
        HmpOutput echo = new HmpOutput();
        while (input.hasRemaining()) {
            String line = readline.handleByte(input.get(), echo);
            if (line != null) {
                write(echo);
                inFlight = true;
                if (input.hasRemaining()) {
                    inputHeld = true;
                }
                pending.set(new Job(session, line, readline.history()));
                dispatcher.wake(this);
                return;
            }
        }
        write(echo);
    }

    private void write(HmpOutput out) {
        if (open && !out.isEmpty()) {
            chardev().write(out.toBytes());
        }
    }

    // ---- dispatcher side ----

    @Override
    protected Runnable takeJob() {
        Job job = pending.getAndSet(null);
        return job == null ? null : () -> run(job);
    }

    @Override
    protected boolean hasJobs() {
        return pending.get() != null;
    }

    private void run(Job job) {
        HmpOutput out = new HmpOutput();
        CompletionStage<HmpDispatch.Result> result;
        try {
            result = commands.execute(this, job.line(), job.history(), out);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((r, failure) -> {
            if (failure != null) {
                log.error("{}: command line failed", this, failure);
            }
            chardev().executor().execute(() -> finish(job, out, failure == null ? r : HmpDispatch.Result.DONE));
        });
    }

    /** Loop thread: writes the output and the prompt, then reads again. */
    private void finish(Job job, HmpOutput out, HmpDispatch.Result result) {
        boolean sameClient = open && session == job.session();
        if (result.keepSuspended()) {
            halted = true;
        } else if (sameClient) {
            readline.showPrompt(out);
        }
        if (sameClient) {
            write(out);
        }
        for (Runnable action : result.afterOutput()) {
            action.run();
        }
        if (halted || isRemoved()) {
            return;
        }
        inFlight = false;
        if (inputHeld) {
            inputHeld = false;
            chardev().acceptInput();
        }
    }
}
