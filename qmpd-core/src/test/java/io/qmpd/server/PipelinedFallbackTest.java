package io.qmpd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.qmpd.chardev.TestChardev;
import io.qmpd.command.CommandContext;
import io.qmpd.command.CommandFallback;
import io.qmpd.command.CommandRegistry;
import io.qmpd.testing.NothingLeaks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fallback that answers in order (a broker's QEMU) gets a client's queued requests one after
 * the other, without waiting for each answer, up to QEMU's 8; a command of qmpd's own still waits
 * for the answers before it, and the replies keep the order of the requests.
 */
@ExtendWith(NothingLeaks.class)
class PipelinedFallbackTest {

    /** Holds every request until the test answers it; answers on another thread, in order. */
    private static final class InOrder implements Backend, CommandFallback {
        final BlockingQueue<String> handed = new LinkedBlockingQueue<>();
        final List<CompletableFuture<Object>> pending = new ArrayList<>();
        private final boolean inOrder;

        InOrder(boolean inOrder) {
            this.inOrder = inOrder;
        }

        @Override
        public Attached attach(CommandRegistry.Builder commands, BackendHost host) {
            commands.fallback(this);
            return new Attached() {};
        }

        @Override
        public synchronized Object handle(CommandContext context, String name, ObjectNode arguments) {
            CompletableFuture<Object> answer = new CompletableFuture<>();
            pending.add(answer);
            handed.add(arguments.path("n").asText());
            return answer;
        }

        @Override
        public boolean answersInOrder() {
            return inOrder;
        }

        synchronized void answerAll() {
            CompletableFuture.runAsync(() -> {
                List<CompletableFuture<Object>> now;
                synchronized (this) {
                    now = new ArrayList<>(pending);
                    pending.clear();
                }
                for (int i = 0; i < now.size(); i++) {
                    now.get(i).complete(TextNode.valueOf("answer"));
                }
            });
        }
    }

    private static String request(int n) {
        return "{\"execute\": \"x-forwarded\", \"arguments\": {\"n\": \"" + n + "\"}, \"id\": " + n + "}\n";
    }

    @Test
    void requestsForAFallbackThatAnswersInOrderFollowOneAnotherUpToEight() throws Exception {
        InOrder backend = new InOrder(true);
        try (QmpServer server = QmpServer.builder().backend(backend).build().start()) {
            TestChardev c = TestMonitors.negotiated(server, "c", false, true);
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                burst.append(request(i));
            }
            burst.append("{\"execute\": \"query-version\", \"id\": \"local\"}\n");
            c.send(burst.toString());
            for (int i = 0; i < 8; i++) {
                assertThat(backend.handed.poll(5, TimeUnit.SECONDS))
                        .as("handed over before any answer")
                        .isEqualTo(Integer.toString(i));
            }
            assertThat(c.pending())
                    .as("nothing answered yet, the local command waiting its turn")
                    .isZero();
            backend.answerAll();
            for (int i = 0; i < 8; i++) {
                assertThat(c.next()).isEqualTo("{\"return\": \"answer\", \"id\": " + i + "}\r\n");
            }
            assertThat(c.next()).startsWith("{\"return\": {\"qemu\": ").endsWith("\"id\": \"local\"}\r\n");
        }
    }

    @Test
    void aFallbackThatMayAnswerOutOfOrderGetsOneRequestAtATime() throws Exception {
        InOrder backend = new InOrder(false);
        try (QmpServer server = QmpServer.builder().backend(backend).build().start()) {
            TestChardev c = TestMonitors.negotiated(server, "c", false, true);
            c.send(request(0) + request(1));
            assertThat(backend.handed.poll(5, TimeUnit.SECONDS)).isEqualTo("0");
            // the dispatcher has gone idle: the second one stays queued until the first is answered
            ServerInternals.dispatcher(server).submit(() -> null).get(5, TimeUnit.SECONDS);
            assertThat(backend.handed).isEmpty();
            backend.answerAll();
            assertThat(c.next()).isEqualTo("{\"return\": \"answer\", \"id\": 0}\r\n");
            assertThat(backend.handed.poll(5, TimeUnit.SECONDS)).isEqualTo("1");
            backend.answerAll();
            assertThat(c.next()).isEqualTo("{\"return\": \"answer\", \"id\": 1}\r\n");
        }
    }
}
