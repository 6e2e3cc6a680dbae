package io.qmpd.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.client.QmpClient;
import io.qmpd.client.QmpEvent;
import io.qmpd.qapi.Schema;
import io.qmpd.server.QmpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A program that serves its own QMP command and event, then talks to itself with QmpClient. */
public final class EmbeddingExample {

    /** The arguments of 'greet', as the schema declares them ('times' is optional). */
    public record GreetArgs(String name, Integer times) {}

    /** What 'greet' returns (GreetingText in the schema). */
    public record GreetingText(String text) {}

    /** The data of the GREETED event. */
    public record Greeted(String name) {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("qmpd-example");
        System.out.println(run(dir.resolve("qmp.sock")));
    }

    /** Serves on {@code socket}, calls 'greet' through a client, and returns what the client saw. */
    public static String run(Path socket) throws Exception {
        ObjectMapper json = new ObjectMapper();
        QmpServer server = QmpServer.builder()
                .schema(Schema.builtinWith(List.of("io/qmpd/examples/greeter.json")))
                .commands(b -> b.register("greet", GreetArgs.class, (ctx, a) -> {
                    int times = a.times() == null ? 1 : a.times();
                    ctx.events().emit("GREETED", json.valueToTree(new Greeted(a.name())));
                    return new GreetingText(
                            ("Hello, " + a.name() + "! ").repeat(times).trim());
                }))
                .build()
                .start();
        try (server) {
            // -chardev socket,id=qmp0,path=SOCKET,server=on,wait=off -mon chardev=qmp0,mode=control
            ObjectNode listener = json.createObjectNode().put("type", "socket");
            ObjectNode data = listener.putObject("data").put("server", true).put("wait", false);
            data.putObject("addr").put("type", "unix").putObject("data").put("path", socket.toString());
            server.addChardev("qmp0", listener);
            server.addQmpMonitor("mon0", "qmp0", false, false);

            try (QmpClient client = QmpClient.builder().unix(socket).build()) {
                client.connect(); // greeting, then qmp_capabilities with oob enabled
                CompletableFuture<QmpEvent> greeted = client.nextEvent("GREETED");
                JsonNode reply =
                        client.execute("greet", new GreetArgs("Ada", 2)).get();
                QmpEvent event = greeted.get();
                JsonNode introspected = client.execute("query-qmp-schema").get();
                boolean listed = false;
                for (JsonNode entity : introspected) {
                    listed |= entity.path("name").asText().equals("greet");
                }
                ObjectNode summary = json.createObjectNode();
                summary.set("reply", reply);
                summary.put("event", event.name());
                summary.set("data", event.data());
                summary.put("introspected", listed);
                return summary.toString();
            }
        }
    }
}
