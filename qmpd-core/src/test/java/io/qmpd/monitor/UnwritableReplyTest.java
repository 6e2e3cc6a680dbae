package io.qmpd.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.BinaryNode;
import io.qmpd.chardev.TestChardev;
import io.qmpd.qapi.Schema;
import io.qmpd.server.QmpServer;
import io.qmpd.server.ServerInternals;
import io.qmpd.server.TestMachine;
import io.qmpd.testing.NothingLeaks;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A reply the writer cannot print (past its 2 GiB, or of a kind JSON has no form for) still
 * answers its request, with the request's id, and the monitor goes on.
 */
@ExtendWith(NothingLeaks.class)
class UnwritableReplyTest {

    /** x-where's arguments in the test schema. */
    record TagArgs(String tag) {}

    @Test
    void aReplyThatCannotBeWrittenIsAnsweredWithAnError() {
        try (QmpServer server = QmpServer.builder()
                .backend(new TestMachine(false))
                .schema(Schema.builtinWith(List.of(TestMachine.SCHEMA, "test-schema.json")))
                .commands(b -> b.register("x-where", TagArgs.class, (ctx, a) -> BinaryNode.valueOf(new byte[] {1})))
                .pendingCommands(List.of("x-block", "x-oob-echo", "x-emit"))
                .build()
                .start()) {
            TestChardev c = new TestChardev("c", ServerInternals.loop(server), true);
            server.addChardev(c);
            server.addQmpMonitor(null, "c", false, false);
            c.connect();
            c.next();
            c.send("{\"execute\": \"qmp_capabilities\"}\n");
            assertThat(c.next()).isEqualTo("{\"return\": {}}\r\n");
            c.send("{\"execute\": \"x-where\", \"id\": [\"mine\", 1]}\n");
            assertThat(c.next())
                    .isEqualTo(
                            "{\"id\": [\"mine\", 1], \"error\": {\"class\": \"GenericError\", \"desc\": "
                                    + "\"cannot send the reply: value: BINARY (expected: object, array, string, number, boolean or null)\"}}\r\n");
            c.send("{\"execute\": \"query-name\", \"id\": 2}\n");
            assertThat(c.next()).isEqualTo("{\"return\": {}, \"id\": 2}\r\n");
        }
    }
}
