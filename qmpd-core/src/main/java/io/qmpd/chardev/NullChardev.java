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
    public boolean isOpen() {
        return false;
    }

    @Override
    protected void output(byte[] bytes) {
        // discarded
    }
}
