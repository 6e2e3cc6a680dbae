package io.qmpd.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The house rule as a JUnit extension: after a test class, this process holds no more sockets,
 * pipes and epoll or event descriptors than before it, and no {@code qmpd-*} thread it did not
 * have (Linux: {@code /proc/self/fd}). Regular files are not counted: the JVM opens jars as it
 * loads classes; junixsocket's one socket per JVM is made before the baseline
 * ({@link JunixsocketSettled}). Waits up to 5 s for threads and descriptors that are on their way out.
 * Use with {@code @ExtendWith(NothingLeaks.class)}.
 */
public final class NothingLeaks implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NothingLeaks.class);
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** {@code descriptors}: how many of each kind; {@code targets}: what each open one points at. */
    private record Snapshot(Map<String, Integer> descriptors, Set<String> targets, Set<String> threads) {}

    @Override
    public void beforeAll(ExtensionContext context) {
        if (junixsocketPresent()) {
            JunixsocketSettled.settle();
        }
        context.getStore(NS).put(Snapshot.class, snapshot());
    }

    private static boolean junixsocketPresent() {
        try {
            Class.forName("org.newsclub.net.unix.AFUNIXSocket", false, NothingLeaks.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Snapshot before = context.getStore(NS).get(Snapshot.class, Snapshot.class);
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        Snapshot now = snapshot();
        while (!within(now, before) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(20_000_000L); // bounded poll
            now = snapshot();
        }
        Set<String> opened = new TreeSet<>(now.targets());
        opened.removeAll(before.targets());
        for (Map.Entry<String, Integer> kind : now.descriptors().entrySet()) {
            assertThat(kind.getValue())
                    .as(
                            "%s descriptors after %s (before: %s; opened since: %s)",
                            kind.getKey(), context.getDisplayName(), before.descriptors(), describe(opened))
                    .isLessThanOrEqualTo(before.descriptors().getOrDefault(kind.getKey(), 0));
        }
        Set<String> extra = new TreeSet<>(now.threads());
        extra.removeAll(before.threads());
        assertThat(extra)
                .as("qmpd threads left by %s", context.getDisplayName())
                .isEmpty();
    }

    private static boolean within(Snapshot now, Snapshot before) {
        return before.threads().containsAll(now.threads())
                && now.descriptors().entrySet().stream()
                        .allMatch(e -> e.getValue() <= before.descriptors().getOrDefault(e.getKey(), 0));
    }

    private static Snapshot snapshot() {
        Map<String, Integer> kinds = new TreeMap<>();
        Set<String> targets = new TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                String target = target(fd);
                String kind = kind(target);
                if (kind != null) {
                    kinds.merge(kind, 1, Integer::sum);
                    targets.add(target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> threads = Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> n.startsWith("qmpd-"))
                .collect(Collectors.toCollection(TreeSet::new));
        return new Snapshot(kinds, targets, threads);
    }

    /** What {@code fd} points at ({@code socket:[1234]}, a path), or null for a descriptor just closed. */
    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** socket, pipe or anon_inode (epoll, eventfd); null for files and for a descriptor just closed. */
    private static String kind(String target) {
        if (target == null) {
            return null;
        }
        int colon = target.indexOf(':');
        String kind = colon > 0 ? target.substring(0, colon) : null;
        return kind != null && (kind.equals("socket") || kind.equals("pipe") || kind.equals("anon_inode"))
                ? kind
                : null;
    }

    /** The targets, a unix socket with its line of {@code /proc/net/unix} (its path, if bound). */
    private static List<String> describe(Set<String> targets) {
        List<String> unix;
        try {
            unix = Files.readAllLines(Path.of("/proc/net/unix"));
        } catch (IOException e) {
            unix = List.of();
        }
        List<String> out = new ArrayList<>();
        for (String target : targets) {
            String inode = target.startsWith("socket:[") ? target.substring(8, target.length() - 1) : null;
            String line = inode == null
                    ? null
                    : unix.stream()
                            .filter(l -> l.trim().split("\\s+").length > 6
                                    && l.trim().split("\\s+")[6].equals(inode))
                            .findFirst()
                            .orElse(null);
            out.add(line == null ? target : target + " (" + line.trim() + ")");
        }
        return out;
    }
}
