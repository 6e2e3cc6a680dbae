package io.qmpd.chardev;

import io.qmpd.io.EventLoop;

/**
 * QEMU's {@code pty} backend: a pseudo-terminal whose slave ({@code /dev/pts/N}) a user opens with
 * a terminal program. Open while someone has the slave open: the frontend hears
 * {@link ChardevFrontend#opened()} when they do and {@link ChardevFrontend#closed()} when they
 * leave (a monitor greets each newcomer), and output while nobody is there is discarded, as QEMU
 * does.
 */
public final class PtyChardev extends Chardev {

    private final Pty pty;
    private final InputPump pump;

    PtyChardev(String id, EventLoop loop, Pty pty) {
        super(id, loop);
        this.pty = pty;
        this.pump = new InputPump(this, buf -> pty.read(buf, this::connectionChanged));
    }

    /** The slave's path, as {@code chardev-add} returns it. */
    public String path() {
        return pty.path();
    }

    @Override
    public String backendKind() {
        return "pty";
    }

    @Override
    public String filename() {
        return "pty:" + pty.path();
    }

    @Override
    public boolean isOpen() {
        return pty.connected();
    }

    @Override
    public boolean supportsIoThread() {
        return true; // QEMU serves a pty's monitor from the I/O thread too
    }

    @Override
    protected void output(byte[] bytes) {
        pty.write(bytes);
    }

    @Override
    public void acceptInput() {
        pump.acceptInput();
    }

    /** Reader thread: someone opened the slave, or the last one closed it. */
    private void connectionChanged() {
        boolean open = pty.connected();
        loop().execute(() -> {
            ChardevFrontend fe = frontend();
            if (fe != null && pty.connected() == open) {
                if (open) {
                    fe.opened();
                } else {
                    fe.closed();
                }
            }
        });
    }

    @Override
    protected void closeBackend() {
        pump.stop();
        pty.close();
    }
}
