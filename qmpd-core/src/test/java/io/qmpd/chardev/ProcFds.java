package io.qmpd.chardev;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.newsclub.net.unix.FileDescriptorCast;

/** What {@code /proc/self/fd} says about this process's descriptors (Linux). */
public final class ProcFds {

    private static final Path FD_DIR = Path.of("/proc/self/fd");

    private ProcFds() {}

    public static int count() {
        try (Stream<Path> s = Files.list(FD_DIR)) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many descriptors of this process are sockets. */
    public static int sockets() {
        try (Stream<Path> s = Files.list(FD_DIR)) {
            return (int) s.filter(p -> {
                        try {
                            return Files.readSymbolicLink(p).toString().startsWith("socket:");
                        } catch (IOException e) {
                            return false; // closed between list and readlink
                        }
                    })
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What descriptor {@code fd} refers to, e.g. {@code socket:[1234]}. */
    public static String target(FileDescriptor fd) {
        try {
            int n = FileDescriptorCast.using(fd).as(Integer.class);
            return Files.readSymbolicLink(FD_DIR.resolve(Integer.toString(n))).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many descriptors of this process refer to {@code target} (dups, received copies). */
    public static int referring(String target) {
        try (Stream<Path> s = Files.list(FD_DIR)) {
            return (int) s.filter(p -> {
                        try {
                            return Files.readSymbolicLink(p).toString().equals(target);
                        } catch (IOException e) {
                            return false; // closed between list and readlink
                        }
                    })
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code actual} until it equals {@code expected} or 5 s pass; returns the last value. */
    public static int awaitEquals(int expected, IntSupplier actual) {
        return awaitUntil(v -> v == expected, actual);
    }

    /**
     * Waits (at most 5 s) until {@code actual} is at most {@code limit}; returns its last value.
     * For a leak check while sockets of earlier tests in the same JVM may still be closing.
     */
    public static int awaitAtMost(int limit, IntSupplier actual) {
        return awaitUntil(v -> v <= limit, actual);
    }

    private static int awaitUntil(IntPredicate done, IntSupplier actual) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        int v = actual.getAsInt();
        while (!done.test(v) && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
            v = actual.getAsInt();
        }
        return v;
    }
}
