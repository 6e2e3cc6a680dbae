package io.qmpd.monitor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What dispatching one request produced: the response (null for {@code success-response: false}
 * commands) and actions that must run only once the response has been handed to the chardev
 * ({@code quit}; later a monitor removing itself).
 */
public record QmpReply(ObjectNode response, List<Runnable> afterReply) {

    public QmpReply {
        afterReply = List.copyOf(afterReply);
    }

    public static QmpReply of(ObjectNode response) {
        return new QmpReply(response, List.of());
    }
}
