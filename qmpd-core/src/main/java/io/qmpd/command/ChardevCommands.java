package io.qmpd.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.qmpd.chardev.Chardev;
import io.qmpd.chardev.ChardevAddFailure;
import io.qmpd.chardev.ChardevBackends;
import io.qmpd.chardev.ChardevRegistry;
import io.qmpd.chardev.PtyChardev;
import io.qmpd.chardev.RingbufChardev;
import io.qmpd.io.Descriptors;
import io.qmpd.io.EventLoop;
import io.qmpd.json.MemoryBound;
import io.qmpd.qapi.QmpException;
import java.io.FileDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The chardev commands: {@code chardev-add}, {@code chardev-change}, {@code chardev-remove},
 * {@code chardev-send-break}, {@code query-chardev}, {@code query-chardev-backends},
 * {@code ringbuf-write}, {@code ringbuf-read}, with QEMU's texts. Handlers run on the dispatcher,
 * which confines the registry. Each is registered only if the schema declares it.
 */
public final class ChardevCommands {

    /** {@code chardev-add} / {@code chardev-change} arguments: the backend stays a validated tree. */
    public record ChardevAdd(String id, JsonNode backend) {}

    /** Arguments naming one chardev. */
    public record ChardevId(String id) {}

    /** {@code ChardevReturn}: {@code {}}, or the pty path. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChardevReturn(String pty) {}

    /** {@code ChardevInfo}. */
    public record ChardevInfo(
            String label,
            String filename,
            @JsonProperty("frontend-open") boolean frontendOpen) {}

    /** {@code ChardevBackendInfo}. */
    public record ChardevBackendInfo(String name) {}

    /** {@code ringbuf-write} arguments. */
    public record RingbufWrite(String device, String data, String format) {}

    /** {@code ringbuf-read} arguments. */
    public record RingbufRead(String device, long size, String format) {}

    private final ChardevRegistry chardevs;
    private final Supplier<EventLoop> loop;
    private final ChardevBackends backends;
    private final MemoryBound ringbufMemory;

    /** @param ringbufMemory what the server's ringbuf chardevs may hold together */
    public ChardevCommands(
            ChardevRegistry chardevs, ChardevBackends backends, Supplier<EventLoop> loop, MemoryBound ringbufMemory) {
        this.chardevs = chardevs;
        this.backends = backends;
        this.loop = loop;
        this.ringbufMemory = ringbufMemory;
    }

    /**
     * Registers the commands the schema declares. {@code chardev-add} of a backend that is created
     * at once and {@code chardev-remove} of one that closes at once run inline (ADR 7): churn of
     * dynamic monitors then costs no thread hand-off.
     */
    public void registerAll(CommandRegistry.Builder b) {
        if (b.registerIfDeclared("chardev-add", ChardevAdd.class, (ctx, a) -> add(ctx, a.id(), a.backend()))) {
            b.inline("chardev-add", args -> args != null && backends.createsAtOnce(args.get("backend")));
        }
        b.registerIfDeclared("chardev-change", ChardevAdd.class, this::change);
        if (b.registerIfDeclared("chardev-remove", ChardevId.class, (ctx, a) -> {
            chardevs.remove(a.id());
            return null;
        })) {
            // An unknown id is answered with an error at once, inline too.
            b.inline(
                    "chardev-remove",
                    args -> args != null
                            && args.path("id").isTextual()
                            && chardevs.find(args.get("id").textValue())
                                    .map(Chardev::closesAtOnce)
                                    .orElse(true));
        }
        b.registerIfDeclared("chardev-send-break", ChardevId.class, (ctx, a) -> {
            // A break is an event for the frontend; monitors ignore it.
            chardevs.find(a.id()).orElseThrow(() -> QmpException.generic("Chardev '" + a.id() + "' not found"));
            return null;
        });
        b.registerIfDeclared("query-chardev", NoArgs.class, (ctx, a) -> {
            List<ChardevInfo> out = new ArrayList<>();
            for (Chardev c : chardevs.qomOrder()) {
                out.add(new ChardevInfo(c.id(), c.filename(), c.hasFrontend()));
            }
            return out;
        });
        b.registerIfDeclared(
                "query-chardev-backends",
                NoArgs.class,
                (ctx, a) ->
                        backends.names().stream().map(ChardevBackendInfo::new).toList());
        b.registerIfDeclared("ringbuf-write", RingbufWrite.class, (ctx, a) -> {
            RingbufChardev ring = ringbuf(a.device());
            byte[] bytes =
                    "base64".equals(a.format()) ? base64(a.data()) : a.data().getBytes(StandardCharsets.UTF_8);
            ring.writeAll(bytes);
            return null;
        });
        b.registerIfDeclared("ringbuf-read", RingbufRead.class, (ctx, a) -> {
            RingbufChardev ring = ringbuf(a.device());
            if (a.size() <= 0) {
                throw QmpException.generic("size must be greater than zero");
            }
            byte[] bytes = ring.read(a.size());
            if ("base64".equals(a.format())) {
                return Base64.getEncoder().encodeToString(bytes);
            }
            int end = 0;
            while (end < bytes.length && bytes[end] != 0) {
                end++; // QEMU returns a C string: it ends at the first NUL
            }
            return new String(bytes, 0, end, StandardCharsets.UTF_8);
        });
    }

    private ChardevReturn add(CommandContext ctx, String id, JsonNode backend) {
        chardevs.requireAbsent(id);
        Function<String, FileDescriptor> fdSource =
                name -> ctx.monitor().map(m -> m.fds().take(name)).orElseGet(() -> inherited(name));
        Chardev chardev;
        try {
            chardev = backends.create(id, backend, chardevs.context(loop.get(), fdSource, ringbufMemory));
        } catch (QmpException e) {
            throw ChardevAddFailure.of(id, e.getMessage());
        }
        try {
            chardevs.add(chardev);
        } catch (QmpException e) {
            chardev.close(); // no socket file or descriptor left behind
            throw e;
        }
        return new ChardevReturn(chardev instanceof PtyChardev pty ? pty.path() : null);
    }

    /**
     * Outside any monitor (the command line) an {@code fd} address is the number of a descriptor
     * the process inherited, parsed as QEMU's {@code qemu_strtoi} does.
     */
    private static FileDescriptor inherited(String number) {
        int n;
        try {
            if (!number.matches("\\s*[+-]?\\d+")) {
                throw new NumberFormatException(number);
            }
            n = Integer.parseInt(number.strip());
        } catch (NumberFormatException e) {
            throw QmpException.generic("Unable to parse FD number " + number);
        }
        return Descriptors.inheritedSocket(n)
                .orElseThrow(() -> QmpException.generic("File descriptor '" + number + "' is not a socket"));
    }

    /** QEMU 7.2: a chardev without frontend is removed and added anew; one with a monitor refuses. */
    private ChardevReturn change(CommandContext ctx, ChardevAdd a) {
        Chardev old = chardevs.find(a.id())
                .orElseThrow(() -> QmpException.generic("Chardev '" + a.id() + "' does not exist"));
        if (old.hasFrontend()) {
            throw QmpException.generic("Chardev user does not support chardev hotswap");
        }
        chardevs.discard(a.id());
        return add(ctx, a.id(), a.backend());
    }

    private RingbufChardev ringbuf(String device) {
        Chardev c = chardevs.find(device).orElseThrow(() -> QmpException.generic("Device '" + device + "' not found"));
        if (!(c instanceof RingbufChardev ring)) {
            throw QmpException.generic(device + " is not a ringbuf device");
        }
        return ring;
    }

    /** QEMU's qbase64_decode texts. */
    private static byte[] base64(String data) {
        if (!data.matches("[A-Za-z0-9+/=]*")) {
            throw QmpException.generic("Base64 data contains invalid characters");
        }
        if (data.length() % 4 != 0) {
            throw QmpException.generic("Base64 data length must be a multiple of 4 characters");
        }
        try {
            return Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw QmpException.generic("Base64 data contains invalid characters");
        }
    }
}
