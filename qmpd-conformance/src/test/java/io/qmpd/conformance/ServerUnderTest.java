package io.qmpd.conformance;

import io.qmpd.testing.ServerProcess;
import io.qmpd.testing.ServerProcess.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * How a conformance run starts the one server it talks to: real QEMU exactly as the corpus README
 * says, or qmpd's daemon with the same options, in a clean directory.
 */
final class ServerUnderTest {

    static final List<String> SOCKETS = List.of("qmp0", "hmp0", "spare");

    private ServerUnderTest() {}

    /** QEMU's options from the corpus README, for DIR. */
    static List<String> qemuOptions(Path dir) {
        List<String> options = new ArrayList<>(ServerProcess.BARE_OPTIONS);
        options.addAll(List.of(
                "-chardev", "socket,id=qmp0,path=" + dir + "/qmp0.sock,server=on,wait=off",
                "-mon", "chardev=qmp0,mode=control,id=mon0",
                "-chardev", "socket,id=hmp0,path=" + dir + "/hmp0.sock,server=on,wait=off",
                "-mon", "chardev=hmp0,mode=readline,id=mon1",
                "-chardev", "socket,id=spare,path=" + dir + "/spare.sock,server=on,wait=off",
                "-pidfile", dir + "/qemu.pid"));
        return options;
    }

    /** Cleans {@code dir}, starts the server, and waits (bounded) until its three sockets exist. */
    static ServerProcess start(Kind kind, Path dir, Path log, Duration bound) throws IOException {
        clean(dir);
        List<Path> sockets = SOCKETS.stream().map(s -> dir.resolve(s + ".sock")).toList();
        return ServerProcess.start(kind, qemuOptions(dir), log, sockets, bound);
    }

    private static void clean(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
    }
}
