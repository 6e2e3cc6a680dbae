package io.qmpd.broker;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.command.SessionDescriptors;
import io.qmpd.io.Descriptors;
import io.qmpd.qapi.QmpError;
import io.qmpd.qapi.QmpException;
import java.io.FileDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One forwarded command's descriptors on their way to QEMU, whose {@code getfd} table all
 * sessions share. Each name the command uses gets a name of the broker's own that no other
 * command uses; a descriptor the session holds under it goes to QEMU's table with {@code getfd}
 * just before the command, and is closed there with {@code closefd} just after it (both pipelined
 * with the command, so no round trip is added). A descriptor QEMU's command took is then gone
 * from the session's names, as on QEMU; one it left is the session's again. QEMU's error texts
 * get the session's names back.
 *
 * <p>A descriptor passed with the command itself ({@code add-fd}) travels with the forwarded
 * command. qmpd closes its own copies when the loan is settled, or when the connection ends
 * first ({@link #close}). Used on the thread that forwards the command, then on the upstream
 * reader; {@link #close} may race with neither (the reader has stopped by then).
 */
final class DescriptorLoan {

    private static final String PREFIX = "qmpd-fd-";

    private final SessionDescriptors session;
    private final LongSupplier serials;
    /** The session's name → the broker's name for it in QEMU's table. */
    private final Map<String, String> upstreamNames = new LinkedHashMap<>();
    /** The session's name → its descriptor, lent to QEMU. */
    private final Map<String, FileDescriptor> lent = new LinkedHashMap<>();

    private final List<FileDescriptor> passed = new ArrayList<>();
    /** Set for a command whose user may need the descriptor again later (a chardev QEMU may hand over). */
    private boolean keepTaken;
    /** qmpd's copies of descriptors QEMU's command took, kept when {@link #keepTaken}. */
    private final List<FileDescriptor> taken = new ArrayList<>();

    DescriptorLoan(SessionDescriptors session, LongSupplier serials) {
        this.session = session;
        this.serials = serials;
    }

    /** The name QEMU sees for the session's {@code name} (the same one for every use in the command). */
    String upstreamName(String name) {
        return upstreamNames.computeIfAbsent(name, n -> PREFIX + serials.getAsLong());
    }

    /** Sends the command's descriptor passed with it along with it ({@code add-fd}). */
    FileDescriptor[] passReceived() {
        session.takeReceived().ifPresent(passed::add);
        return passed.toArray(new FileDescriptor[0]);
    }

    /** Before the command: every named descriptor the session holds goes to QEMU's table. */
    void lend(Upstream upstream) {
        upstreamNames.forEach((name, upstreamName) -> session.take(name).ifPresent(fd -> {
            lent.put(name, fd);
            // QEMU refuses a getfd only without a descriptor: the closefd after the command tells the rest
            upstream.forward("getfd", fdname(upstreamName), false, new FileDescriptor[] {fd}, (value, failure) -> {});
        }));
    }

    /** Whether qmpd holds descriptors for this loan (lent or passed) that the connection's end must close. */
    boolean holdsDescriptors() {
        return !lent.isEmpty() || !passed.isEmpty();
    }

    /**
     * After the command: takes each lent descriptor out of QEMU's table again; {@code settled}
     * runs on the reader once QEMU answered the last of these (at once without any).
     */
    void reclaim(Upstream upstream, Runnable settled) {
        if (lent.isEmpty()) {
            closePassed();
            settled.run();
            return;
        }
        int[] left = {lent.size()};
        lent.forEach((name, fd) ->
                upstream.forward("closefd", fdname(upstreamNames.get(name)), false, null, (value, failure) -> {
                    if (failure == null) {
                        session.giveBack(name, fd); // QEMU did not take it
                    } else if (keepTaken) {
                        taken.add(fd); // QEMU took it for the command: qmpd's copy stays with the loan
                    } else {
                        Descriptors.close(fd);
                    }
                    if (--left[0] == 0) {
                        lent.clear();
                        closePassed();
                        settled.run();
                    }
                }));
    }

    /** Keeps qmpd's copy of a descriptor QEMU's command takes, for {@link #takeKept}. */
    void keepTaken() {
        keepTaken = true;
    }

    /** qmpd's copy of the descriptor QEMU's command took, if it took one; the caller owns it. Once settled. */
    Optional<FileDescriptor> takeKept() {
        Optional<FileDescriptor> first = taken.isEmpty() ? Optional.empty() : Optional.of(taken.remove(0));
        taken.forEach(Descriptors::close);
        taken.clear();
        return first;
    }

    /** {@code failure} with the session's names where QEMU's text has the broker's. */
    Throwable sessionsView(Throwable failure) {
        if (!(failure instanceof QmpException e) || upstreamNames.isEmpty()) {
            return failure;
        }
        String desc = e.error().desc();
        for (Map.Entry<String, String> names : upstreamNames.entrySet()) {
            desc = Pattern.compile(Pattern.quote(names.getValue()) + "(?![0-9])")
                    .matcher(desc)
                    .replaceAll(Matcher.quoteReplacement(names.getKey()));
        }
        return new QmpException(new QmpError(e.error().errorClass(), desc));
    }

    /** The connection ended before the loan was settled: qmpd's copies are closed. */
    void close() {
        lent.values().forEach(Descriptors::close);
        lent.clear();
        taken.forEach(Descriptors::close);
        taken.clear();
        closePassed();
    }

    private void closePassed() {
        passed.forEach(Descriptors::close);
        passed.clear();
    }

    private static ObjectNode fdname(String name) {
        return JsonNodeFactory.instance.objectNode().put("fdname", name);
    }
}
