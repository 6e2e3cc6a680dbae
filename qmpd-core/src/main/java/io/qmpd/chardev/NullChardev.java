package io.qmpd.chardev;

import io.qmpd.io.EventLoop;

/** QEMU's {@code null} backend: never opens, discards output, never has input. */
public final class NullChardev extends Chardev {

    public NullChardev(String id, EventLoop loop) {
        super(id, loop);
    }

    @Override
    public String backendKind() {
        return "null";
    }

    @Override
    public String filename() {
        return "null";
    }

    @Override
    public boolean isOpen() {
        return false;
    }

    @Override
    public boolean supportsIoThread() {
        return false;
    }

    @Override
    public void write(byte[] bytes) {
        // discarded
    }

    @Override
    public void acceptInput() {
        // no input, ever
    }

    @Override
    public void disconnect() {
        // never connected
    }

    @Override
    public void close() {
        // holds nothing
    }
}
