package io.qmpd.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.qmpd.client.Greeting;
import io.qmpd.client.QmpClientBuilder;
import io.qmpd.client.QmpProtocolException;
import io.qmpd.command.CommandContext;
import io.qmpd.command.CommandFallback;
import io.qmpd.command.CommandRegistry;
import io.qmpd.command.SessionDescriptors;
import io.qmpd.hmp.HmpCommands;
import io.qmpd.hmp.HmpLineHandler;
import io.qmpd.io.Descriptors;
import io.qmpd.server.Backend;
import io.qmpd.server.BackendHost;
import io.qmpd.server.QmpServerBuilder;
import java.io.FileDescriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * qmpd in front of a running QEMU: every monitor of the server is an independent QMP session on
 * that QEMU, as if QEMU had given it a monitor of its own.
 *
 * <p>qmpd answers what belongs to the session or to qmpd: negotiation, the JSON dialect and the
 * request envelope, queue limits, its monitors ({@code monitor-add}, {@code monitor-remove},
 * {@code query-monitors}, {@code object-add}/{@code object-del} of {@code monitor-qmp} and
 * {@code monitor-hmp}), {@code getfd} names, the chardevs its monitors serve, {@code
 * query-commands} and {@code query-qmp-schema} (QEMU's, merged with qmpd's). Every other command
 * goes to QEMU over one connection, with an id of the broker's own and the session's descriptors
 * it names ({@link DescriptorLoan}); its reply, value or error, comes back to the session that
 * sent it. A chardev a session adds is QEMU's until a monitor claims it (ADR 12). Events QEMU
 * sends reach every negotiated session, in the order QEMU sent them relative to that session's
 * replies.
 *
 * <pre>{@code
 * BrokerBackend broker = BrokerBackend.connect(QmpClient.builder().unix(Path.of("/run/vm/qmp.sock")));
 * QmpServer server = broker.configure(QmpServer.builder()).build().start();
 * }</pre>
 *
 * <p>One back end serves one server: its connection is that server's.
 */
public final class BrokerBackend implements Backend {

    /** qmpd's own commands that the broker forwards to QEMU instead: QEMU's answer is the truth. */
    static final List<String> FORWARDED =
            List.of("query-version", "quit", "human-monitor-command", "yank", "query-yank");

    private static final Set<String> MONITOR_TYPES = Set.of("monitor-qmp", "monitor-hmp");

    /** QEMU's QOM container of chardevs. */
    private static final String CHARDEVS = "/chardevs";

    private final Upstream upstream;
    private final AtomicBoolean attached = new AtomicBoolean();
    /** Set when QEMU answered a forwarded {@code quit}: its connection's end is then no failure. */
    private volatile boolean quitting;
    /** Names the broker gives descriptors in QEMU's table. */
    private final AtomicLong lendings = new AtomicLong();
    /**
     * Chardevs sessions added, which QEMU holds until a monitor claims one (ADR 12), with what
     * it takes to make them again in qmpd. Guarded by the big lock.
     */
    private final Map<String, QemuChardev> onQemu = new HashMap<>();
    /** The order query-chardev lists both sides' chardevs in; made at attach. Guarded by the big lock. */
    private ChardevOrder chardevOrder;
    /** Forwarded commands with descriptors not settled yet. */
    private final Set<DescriptorLoan> loans = ConcurrentHashMap.newKeySet();
    /** The server's, once attached. */
    private volatile BackendHost host;

    private BrokerBackend(Upstream upstream) {
        this.upstream = upstream;
    }

    /**
     * Connects to QEMU's QMP monitor at {@code upstream}'s endpoint: reads its greeting,
     * negotiates ({@code oob} when offered) and reads its schema.
     *
     * @throws IOException QEMU cannot be reached, or what answers does not greet as QEMU does
     */
    public static BrokerBackend connect(QmpClientBuilder upstream) throws IOException {
        return new BrokerBackend(Upstream.connect(Objects.requireNonNull(upstream, "upstream")));
    }

    /** QEMU's greeting, as the broker's sessions get it. */
    public Greeting greeting() {
        return upstream.greeting();
    }

    /**
     * Sets what the server's sessions must show of QEMU on {@code builder}: this back end, QEMU's
     * version in the greeting, {@code oob} offered only if QEMU offered it, and the merged schema.
     */
    public QmpServerBuilder configure(QmpServerBuilder builder) {
        return builder.backend(this)
                .version(upstream.greeting().version())
                .offerOob(upstream.oob())
                .introspection(own -> Introspection.merge(upstream.schema(), (ArrayNode) own));
    }

    @Override
    public Attached attach(CommandRegistry.Builder commands, BackendHost host) {
        if (!attached.compareAndSet(false, true)) {
            throw new IllegalStateException("a broker back end serves one server");
        }
        for (String name : FORWARDED) {
            commands.divert(name);
        }
        commands.divert("object-add", arguments -> !isMonitorType(arguments) || claims(arguments));
        commands.divert("monitor-add", this::claims);
        commands.divert("chardev-add", arguments -> !host.hasChardev(text(arguments, "id")));
        for (String name : List.of("chardev-remove", "chardev-change", "chardev-send-break")) {
            commands.divert(name, arguments -> !host.hasChardev(text(arguments, "id")));
        }
        for (String name : List.of("ringbuf-read", "ringbuf-write")) {
            commands.divert(name, arguments -> !host.hasChardev(text(arguments, "device")));
        }
        // QOM paths go to QEMU, but for those of the chardevs qmpd holds
        commands.divert(
                "qom-list",
                arguments -> chardevOf(arguments).filter(host::hasChardev).isEmpty());
        commands.divert(
                "qom-get",
                arguments -> chardevOf(arguments).filter(host::hasChardev).isEmpty());
        commands.divert("query-chardev");
        commands.divert("query-chardev-backends");
        commands.divert("object-del", arguments -> !host.hasObject(text(arguments, "id")));
        commands.fallback(new Forwarding());
        this.host = host;
        chardevOrder = new ChardevOrder(upstream.chardevs(), host::chardevIds);
        upstream.onEvent(event -> host.execute(() -> host.events().relay(event)));
        upstream.closed().thenAccept(reason -> host.execute(() -> ended(reason)));
        return new Attached() {
            @Override
            public Optional<Supplier<HmpLineHandler>> hmpLines() {
                return Optional.of(() -> new QemuHmpLines(
                        BrokerBackend.this::forward,
                        BrokerBackend.this::infoChardev,
                        () -> quitting = true,
                        upstream.hmpCompletion()));
            }

            @Override
            public void close() {
                upstream.close();
            }
        };
    }

    /** Whether a monitor's arguments name a chardev QEMU holds for a session, which the monitor then claims. */
    private boolean claims(JsonNode arguments) {
        return onQemu.containsKey(text(arguments, "chardev"));
    }

    /** The chardev a QOM path ({@code /chardevs/ID} or below) names, if it names one. */
    private static Optional<String> chardevOf(JsonNode arguments) {
        String path = text(arguments, "path");
        if (!path.startsWith(CHARDEVS + "/")) {
            return Optional.empty();
        }
        String rest = path.substring(CHARDEVS.length() + 1);
        int slash = rest.indexOf('/');
        return Optional.of(slash < 0 ? rest : rest.substring(0, slash));
    }

    /** The member {@code member} of a request's arguments as text, "" when absent (a predicate sees them unchecked). */
    private static String text(JsonNode arguments, String member) {
        return arguments == null ? "" : arguments.path(member).asText("");
    }

    private static boolean isMonitorType(JsonNode arguments) {
        return arguments != null
                && arguments.path("qom-type").isTextual()
                && MONITOR_TYPES.contains(arguments.get("qom-type").textValue());
    }

    /** On the dispatcher, after every reply and event QEMU sent before it went away. */
    private void ended(Exception reason) {
        loans.forEach(DescriptorLoan::close);
        loans.clear();
        onQemu.values().forEach(QemuChardev::close);
        onQemu.clear();
        if (quitting) {
            host.exit();
        } else if (reason instanceof QmpProtocolException) {
            host.fail("QEMU's QMP connection ended: " + reason.getMessage());
        } else {
            host.fail("QEMU closed its QMP connection");
        }
    }

    /** As {@link #forward(String, ObjectNode, boolean, SessionDescriptors)}, for a caller without descriptors. */
    private CompletableFuture<JsonNode> forward(String name, ObjectNode arguments, boolean oob) {
        return forward(name, arguments, oob, loan(SessionDescriptors.NONE));
    }

    private DescriptorLoan loan(SessionDescriptors session) {
        return new DescriptorLoan(session, lendings::incrementAndGet);
    }

    /**
     * Sends {@code name} to QEMU, with the descriptors it names or was sent with, lent by
     * {@code loan}. An in-band command's answer completes the stage on the
     * dispatcher, where events are relayed too: both reach sessions in the order QEMU wrote them.
     * An out-of-band command's answer is handed on at once, as QEMU answers those from its I/O
     * thread, ahead of whatever the dispatcher is doing. The stage never completes if QEMU goes
     * away first (the run then ends).
     */
    private CompletableFuture<JsonNode> forward(String name, ObjectNode arguments, boolean oob, DescriptorLoan loan) {
        CompletableFuture<JsonNode> answered = new CompletableFuture<>();
        // without arguments as with empty ones: QEMU treats both alike
        ObjectNode sent = arguments.isEmpty() ? null : DescriptorNames.renamed(name, arguments, loan::upstreamName);
        FileDescriptor[] fds = name.equals("add-fd") ? loan.passReceived() : null;
        loan.lend(upstream);
        if (loan.holdsDescriptors()) {
            loans.add(loan); // most commands carry none: they stay off this set
        }
        upstream.forward(name, sent, oob, fds, (value, failure) -> {
            if (failure == null && name.equals("quit")) {
                quitting = true;
            }
            loan.reclaim(upstream, () -> {
                loans.remove(loan);
                Throwable seen = loan.sessionsView(failure);
                Runnable complete = () -> {
                    if (seen == null) {
                        answered.complete(value);
                    } else {
                        answered.completeExceptionally(seen);
                    }
                };
                if (oob) {
                    complete.run();
                } else {
                    host.execute(complete);
                }
            });
        });
        return answered;
    }

    /**
     * A monitor ({@code name}: {@code monitor-add} or {@code object-add}) on a chardev QEMU holds
     * for a session: QEMU removes its chardev (with its own busy rule), qmpd makes the same one
     * (on qmpd's copy of its descriptor, for an {@code fd} address), then adds the monitor.
     */
    private CompletableFuture<JsonNode> claim(CommandContext context, String name, ObjectNode arguments) {
        String id = text(arguments, "chardev");
        ObjectNode remove = JsonNodeFactory.instance.objectNode().put("id", id);
        return forward("chardev-remove", remove, false).thenApply(removed -> {
            QemuChardev moved = onQemu.remove(id);
            chardevOrder.movedToQmpd(id);
            ObjectNode backend = moved.backend().deepCopy();
            if (moved.fd() != null) {
                String fdName = "qmpd-move-" + lendings.incrementAndGet();
                context.descriptors().giveBack(fdName, moved.fd());
                ((ObjectNode) backend.path("data").path("addr").path("data")).put("str", fdName);
            }
            ObjectNode add = JsonNodeFactory.instance.objectNode().put("id", id);
            add.set("backend", backend);
            context.runOwnHandler("chardev-add", add);
            return context.runOwnHandler(name, arguments);
        });
    }

    /**
     * {@code chardev-add} or {@code chardev-change} of a chardev QEMU is to hold: what a monitor
     * needs to claim it later (its backend, qmpd's copy of a descriptor QEMU took) is kept.
     */
    private CompletableFuture<JsonNode> placeOnQemu(String name, ObjectNode arguments, DescriptorLoan loan) {
        loan.keepTaken();
        String id = text(arguments, "id");
        return forward(name, arguments, false, loan).whenComplete((value, failure) -> {
            Optional<FileDescriptor> kept = loan.takeKept();
            if (failure != null) {
                kept.ifPresent(Descriptors::close);
                return;
            }
            boolean added = name.equals("chardev-add");
            if (added) {
                chardevOrder.addedOnQemu(id);
            } else {
                chardevOrder.changedOnQemu(id);
            }
            if (added || onQemu.containsKey(id)) {
                Optional.ofNullable(onQemu.put(id, new QemuChardev(arguments.get("backend"), kept.orElse(null))))
                        .ifPresent(QemuChardev::close);
            } else {
                kept.ifPresent(Descriptors::close); // one of QEMU's own chardevs, which no monitor claims
            }
        });
    }

    /** {@code chardev-remove} of a chardev QEMU holds. */
    private CompletableFuture<JsonNode> removeFromQemu(ObjectNode arguments, DescriptorLoan loan) {
        String id = text(arguments, "id");
        return forward("chardev-remove", arguments, false, loan).thenApply(value -> {
            Optional.ofNullable(onQemu.remove(id)).ifPresent(QemuChardev::close);
            chardevOrder.removedOnQemu(id);
            return value;
        });
    }

    /**
     * {@code query-chardev} for both sides (ADR 12): QEMU's chardevs, but for the broker's own
     * connection, and qmpd's, in the order one QEMU holding them all would list them. QEMU checks
     * {@code arguments}.
     */
    private CompletableFuture<ArrayNode> allChardevs(ObjectNode arguments) {
        return forward("query-chardev", arguments, false).thenApply(qemus -> {
            ArrayNode all = JsonNodeFactory.instance.arrayNode();
            for (JsonNode chardev : qemus) {
                if (!upstream.isOwnChardev(chardev.path("label").asText())) {
                    all.add(chardev);
                }
            }
            all.addAll((ArrayNode) host.runOwn("query-chardev", null));
            return chardevOrder.ordered(all, "label");
        });
    }

    /**
     * {@code qom-list /chardevs} for both sides: QEMU's properties of the container, then its
     * children of both sides (but for the broker's own connection) in the order one QEMU holding
     * them all would list them.
     */
    private CompletableFuture<ArrayNode> chardevChildren(ObjectNode arguments) {
        return forward("qom-list", arguments, false).thenApply(qemus -> {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            List<JsonNode> children = new ArrayList<>();
            for (JsonNode property : qemus) {
                if (!property.path("type").asText().startsWith("child<")) {
                    out.add(property);
                } else if (!upstream.isOwnChardev(property.path("name").asText())) {
                    children.add(property);
                }
            }
            for (JsonNode property : host.runOwn("qom-list", arguments)) {
                if (property.path("type").asText().startsWith("child<")) {
                    children.add(property);
                }
            }
            out.addAll(chardevOrder.ordered(children, "name"));
            return out;
        });
    }

    /** HMP's {@code info chardev} for both sides (lines end with {@code \n}). */
    private CompletableFuture<String> infoChardev() {
        return allChardevs(JsonNodeFactory.instance.objectNode()).thenApply(HmpCommands::infoChardev);
    }

    /** A chardev QEMU holds for a session: its backend as the session gave it, and qmpd's copy of its descriptor, if any. */
    private record QemuChardev(JsonNode backend, FileDescriptor fd) {
        void close() {
            Descriptors.close(fd);
        }
    }

    /** Every command qmpd does not answer itself goes to QEMU. */
    private final class Forwarding implements CommandFallback {

        @Override
        public Object handle(CommandContext context, String name, ObjectNode arguments) {
            if (name.equals("monitor-add") || name.equals("object-add") && isMonitorType(arguments)) {
                return claim(context, name, arguments);
            }
            if (name.equals("human-monitor-command")
                    && arguments.size() == 1
                    && QemuHmpLines.isInfoChardev(arguments.path("command-line").asText())) {
                // QEMU's human-monitor-command ends its lines with \r\n
                return infoChardev().thenApply(text -> TextNode.valueOf(text.replace("\n", "\r\n")));
            }
            if (name.equals("qom-list") && CHARDEVS.equals(text(arguments, "path"))) {
                return chardevChildren(arguments);
            }
            DescriptorLoan loan = loan(context.descriptors());
            return switch (name) {
                case "chardev-add", "chardev-change" -> placeOnQemu(name, arguments, loan);
                case "chardev-remove" -> removeFromQemu(arguments, loan);
                case "query-chardev" -> allChardevs(arguments);
                default -> forward(name, arguments, context.oob(), loan);
            };
        }

        @Override
        public List<String> names() {
            return upstream.commandNames();
        }

        @Override
        public boolean allowsOob(String name) {
            return upstream.allowsOob(name);
        }

        /** Forwarding queues the command or writes it to QEMU's socket, which QEMU keeps reading (the window). */
        @Override
        public boolean runsInline(String name) {
            return true;
        }

        /** QEMU answers the in-band commands of its one monitor in order, and they complete on the dispatcher in that order. */
        @Override
        public boolean answersInOrder() {
            return true;
        }
    }
}
