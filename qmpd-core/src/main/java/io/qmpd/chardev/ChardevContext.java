package io.qmpd.chardev;

import io.qmpd.io.EventLoop;
import io.qmpd.json.MemoryBound;
import io.qmpd.qapi.QmpException;
import java.io.FileDescriptor;
import java.util.Collection;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a {@link ChardevBackend} may use to open a chardev for a server; a chardev of its own
 * passes it to {@link Chardev}'s constructor, which serves the chardev where the server wants it.
 */
public final class ChardevContext {

    private final EventLoop loop;
    private final Function<String, FileDescriptor> descriptors;
    private final MemoryBound ringbufMemory;
    private final Supplier<Collection<Chardev>> existing;

    ChardevContext(
            EventLoop loop,
            Function<String, FileDescriptor> descriptors,
            MemoryBound ringbufMemory,
            Supplier<Collection<Chardev>> existing) {
        this.loop = loop;
        this.descriptors = descriptors;
        this.ringbufMemory = ringbufMemory;
        this.existing = existing;
    }

    /**
     * A descriptor by name, now the caller's: one the requesting monitor kept with {@code getfd},
     * or one the process inherited (the command line's {@code fd=N}).
     *
     * @throws QmpException QEMU's error when there is none
     */
    public FileDescriptor descriptor(String name) {
        return descriptors.apply(name);
    }

    /** The server's chardevs now (asked for on the dispatcher, as creation is). */
    public Collection<Chardev> existing() {
        return existing.get();
    }

    EventLoop loop() {
        return loop;
    }

    /** What the server's ringbuf chardevs may hold together. */
    MemoryBound ringbufMemory() {
        return ringbufMemory;
    }
}
