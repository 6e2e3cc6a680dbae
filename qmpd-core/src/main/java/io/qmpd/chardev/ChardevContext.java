package io.qmpd.chardev;

import io.qmpd.io.EventLoop;
import io.qmpd.json.MemoryBound;
import java.io.FileDescriptor;
import java.util.Collection;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a {@link ChardevBackend} may use to open a chardev for a server.
 *
 * @param loop          the event loop the chardev is served on
 * @param fds           a descriptor by name: one the requesting monitor kept with {@code getfd}, or
 *                      one the process inherited (the command line's {@code fd=N}); throws QEMU's
 *                      {@code QmpException} when there is none
 * @param ringbufMemory what the server's ringbuf chardevs may hold together
 * @param existing      the server's chardevs now, asked for by the backends that need them (dispatcher-confined,
 *                      as creation is)
 */
public record ChardevContext(
        EventLoop loop,
        Function<String, FileDescriptor> fds,
        MemoryBound ringbufMemory,
        Supplier<Collection<Chardev>> existing) {}
