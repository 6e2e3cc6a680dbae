package io.qmpd.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.qmpd.chardev.TestChardev;
import io.qmpd.command.NoArgs;
import io.qmpd.qapi.Schema;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A started {@link QmpServer} with the test schema and test commands: {@code x-block} waits for
 * {@link #release()}, {@code x-oob-echo} answers at once (OOB allowed), {@code x-where} answers
 * at once and is inline (it records its tag and thread), {@code x-emit} emits
 * {@code X_TEST_EVENT} first. The clock is fixed at 1700000000.123456 s.
 */
public final class TestServer implements AutoCloseable {

    public static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L, 123_456_789L);
    private static final Schema SCHEMA = Schema.builtinWith(List.of(TestMachine.SCHEMA, "test-schema.json"));

    /** x-block args. */
    public record TagArgs(String tag) {}

    /** x-emit args. */
    public record EmitArgs(long n) {}

    public final QmpServer server;
    /** Tags of x-block calls that have started, in order. */
    public final BlockingQueue<String> blockStarted = new LinkedBlockingQueue<>();
    /** Tags of x-oob-echo calls, in the order they ran. */
    public final BlockingQueue<String> echoed = new LinkedBlockingQueue<>();
    /** "tag thread-name" of x-where calls, in the order they ran. */
    public final BlockingQueue<String> where = new LinkedBlockingQueue<>();

    private final BlockingQueue<Object> gate = new LinkedBlockingQueue<>();

    public TestServer() {
        this(false);
    }

    public TestServer(boolean startPaused) {
        this(startPaused, b -> {});
    }

    /** @param tweak further builder settings (limits, say) applied before the server is built */
    public TestServer(boolean startPaused, Consumer<QmpServerBuilder> tweak) {
        QmpServerBuilder builder = QmpServer.builder();
        tweak.accept(builder);
        server = builder.schema(SCHEMA)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .backend(new TestMachine(startPaused))
                .commands(b -> b.register("x-block", TagArgs.class, (ctx, a) -> {
                            blockStarted.add(String.valueOf(a.tag()));
                            try {
                                gate.poll(5, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return null;
                        })
                        .register("x-oob-echo", TagArgs.class, (ctx, a) -> {
                            echoed.add(String.valueOf(a.tag()));
                            return null;
                        })
                        .register("x-where", TagArgs.class, (ctx, a) -> {
                            where.add(a.tag() + " " + Thread.currentThread().getName());
                            return null;
                        })
                        .inline(List.of("x-where"))
                        .register("x-emit", EmitArgs.class, (ctx, a) -> {
                            var data = JsonNodeFactory.instance.objectNode();
                            data.put("n", a.n());
                            ctx.events().emit("X_TEST_EVENT", data);
                            return null;
                        }))
                .build()
                .start();
    }

    /** Lets one x-block call finish. */
    public void release() {
        gate.add(NoArgs.class);
    }

    /** Waits until an x-block call has started; returns its tag. */
    public String awaitBlockStarted() throws InterruptedException {
        String tag = blockStarted.poll(5, TimeUnit.SECONDS);
        if (tag == null) {
            throw new AssertionError("x-block did not start within 5 s");
        }
        return tag;
    }

    /** A chardev (oob offered iff {@code ioThread}) with a QMP monitor on it, not yet connected. */
    public TestChardev monitor(String chardevId, boolean ioThread, boolean pretty) {
        TestChardev chr = new TestChardev(chardevId, ServerInternals.loop(server), ioThread);
        server.addChardev(chr);
        server.addQmpMonitor(null, chardevId, pretty, false);
        return chr;
    }

    /** A connected client that has read the greeting and negotiated ({@code oob} if asked). */
    public TestChardev negotiated(String chardevId, boolean oob) {
        TestChardev chr = monitor(chardevId, true, false);
        chr.connect();
        chr.next();
        chr.send(
                oob
                        ? "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}\n"
                        : "{\"execute\":\"qmp_capabilities\"}\n");
        String ok = chr.next();
        if (!ok.equals("{\"return\": {}}\r\n")) {
            throw new AssertionError("negotiation failed: " + ok);
        }
        return chr;
    }

    @Override
    public void close() {
        for (int i = 0; i < 20; i++) {
            release(); // never leave a handler waiting
        }
        server.close();
    }
}
