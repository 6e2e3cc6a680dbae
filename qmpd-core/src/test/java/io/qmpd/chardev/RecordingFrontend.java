package io.qmpd.chardev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test frontend that records its callbacks as {@code opened}, {@code closed} and
 * {@code received <text>}, consuming every byte (or at most {@link #consumeAtMost} per call, to
 * play a frontend that leaves input unconsumed). Waits are bounded (5 s).
 */
final class RecordingFrontend implements ChardevFrontend {

    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    volatile int consumeAtMost = Integer.MAX_VALUE;

    @Override
    public void opened() {
        events.add("opened");
    }

    @Override
    public void closed() {
        events.add("closed");
    }

    @Override
    public void received(ByteBuffer input) {
        byte[] b = new byte[Math.min(consumeAtMost, input.remaining())];
        input.get(b);
        events.add("received " + new String(b, StandardCharsets.UTF_8));
    }

    String next() throws InterruptedException {
        String e = events.poll(5, TimeUnit.SECONDS);
        assertThat(e).as("a frontend event within 5 s").isNotNull();
        return e;
    }

    /** Received text until {@code expected} has arrived whole (reads may split it). */
    String receivedText(int length) throws InterruptedException {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) {
            String e = next();
            assertThat(e).startsWith("received ");
            sb.append(e, "received ".length(), e.length());
        }
        return sb.toString();
    }

    /** Waits until everything {@code chardev}'s loop was asked to do before this call has run. */
    static void drain(Chardev chardev) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        chardev.loop().execute(() -> done.complete(null));
        done.orTimeout(5, TimeUnit.SECONDS).join();
    }
}
