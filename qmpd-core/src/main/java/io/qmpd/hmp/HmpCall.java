package io.qmpd.hmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.command.CommandEnvironment;
import io.qmpd.command.HostCall;
import io.qmpd.qapi.QmpException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One HMP command being run: its arguments, where it prints, and the QMP commands it calls. HMP
 * commands never act on the server themselves: they call their QMP twin through the command
 * registry (same validation, same handler) and format the result. Confined to the dispatcher.
 */
final class HmpCall {

    private final CommandEnvironment env;
    private final HmpMonitor monitor;
    private final Map<String, String> args;
    private final List<String> history;
    private final HmpOutput out;
    private final List<Runnable> afterOutput = new ArrayList<>();
    private boolean keepSuspended;

    HmpCall(CommandEnvironment env, HmpMonitor monitor, Map<String, String> args, List<String> history, HmpOutput out) {
        this.env = env;
        this.monitor = monitor;
        this.args = args;
        this.history = history;
        this.out = out;
    }

    CommandEnvironment env() {
        return env;
    }

    /** The HMP monitor the line came from, or null under {@code human-monitor-command}. */
    HmpMonitor monitor() {
        return monitor;
    }

    /** A parsed argument, or null if an optional one was not given. */
    String arg(String key) {
        return args.get(key);
    }

    List<String> history() {
        return history;
    }

    HmpOutput out() {
        return out;
    }

    void print(String text) {
        out.print(text);
    }

    /** The monitor prompts and reads no more ({@code quit}). */
    void keepSuspended() {
        keepSuspended = true;
    }

    boolean keepsSuspended() {
        return keepSuspended;
    }

    List<Runnable> afterOutput() {
        return afterOutput;
    }

    /**
     * Runs the QMP command {@code name} with {@code arguments} (null for none) and returns its
     * {@code return} value; its after-reply actions run after this line's output.
     *
     * @throws QmpException the command's error
     */
    JsonNode qmp(String name, ObjectNode arguments) {
        HostCall call = HostCall.run(env, name, arguments);
        afterOutput.addAll(call.afterReply());
        return call.value();
    }

    /**
     * Like {@link #qmp} but prints a failure as QEMU's hmp_handle_error does
     * ({@code Error: <desc>}) and returns null.
     */
    JsonNode qmpOrPrint(String name, ObjectNode arguments) {
        try {
            return qmp(name, arguments);
        } catch (QmpException e) {
            out.print("Error: " + e.error().desc() + "\n");
            return null;
        }
    }
}
