package io.qmpd.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/**
 * A command waiting for its reply: the key its id is matched by, what to name it in errors, and
 * whether the caller wants the whole reply ({@code raw}) or just {@code return}.
 */
record PendingCall(String key, String command, String idText, boolean raw, CompletableFuture<JsonNode> future) {

    /** "'query-status' (id "__qmpd-client-3")", for error texts. */
    String describe() {
        return "'" + command + "'" + (idText == null ? " (no id)" : " (id " + idText + ")");
    }
}
