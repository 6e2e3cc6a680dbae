package io.qmpd.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.qmpd.chardev.Chardev;
import io.qmpd.qapi.ErrorClass;
import io.qmpd.qapi.QmpError;
import io.qmpd.qapi.QmpException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code yank} and {@code query-yank} (QEMU's {@code util/yank.c}): the instances are the socket
 * chardevs ({@link YankInstances}); yanking one drops its connected client at once, as QEMU shuts
 * the channel down. Both are {@code allow-oob}: they read only the thread-safe instance list and
 * ask the chardev's event loop to disconnect, so they are safe on the I/O thread.
 */
public final class YankCommands {

    /** {@code yank} arguments: YankInstance unions, kept as JSON (block-node, chardev, migration). */
    public record YankArgs(List<JsonNode> instances) {}

    private final YankInstances instances;

    public YankCommands(YankInstances instances) {
        this.instances = instances;
    }

    public void registerAll(CommandRegistry.Builder builder) {
        builder.registerIfDeclared("query-yank", NoArgs.class, (ctx, args) -> query());
        builder.registerIfDeclared("yank", YankArgs.class, (ctx, args) -> {
            yank(args.instances() == null ? List.of() : args.instances());
            return null;
        });
    }

    private JsonNode query() {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Chardev c : instances.chardevs()) {
            out.addObject().put("type", "chardev").put("id", c.id());
        }
        return out;
    }

    /** QEMU checks every instance before yanking any: one unknown instance yanks nothing. */
    private void yank(List<JsonNode> wanted) {
        List<Chardev> found = new ArrayList<>();
        for (JsonNode instance : wanted) {
            Chardev c = "chardev".equals(instance.path("type").asText())
                    ? instances.chardev(instance.path("id").asText()).orElse(null)
                    : null; // qmpd has no block nodes, and no migration ever registers one
            if (c == null) {
                throw new QmpException(new QmpError(ErrorClass.DeviceNotFound, "Instance not found"));
            }
            found.add(c);
        }
        for (Chardev c : found) {
            c.disconnect();
        }
    }
}
