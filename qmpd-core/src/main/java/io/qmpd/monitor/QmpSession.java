package io.qmpd.monitor;

import io.qmpd.chardev.Chardev;

/**
 * A QMP monitor's client session and the writes to it: which session is current (a number bumped
 * whenever a client connects or leaves), whether the client finished negotiation and with which
 * capabilities, and whether the monitor has left the server. One lock guards the state and orders
 * every write, so a reply of an old session can never reach the next client, and an event never
 * precedes the reply to {@code qmp_capabilities}.
 */
final class QmpSession {

    private final Chardev chardev;
    private final Object lock = new Object();
    /** Written under lock; bumped on every open and close. */
    private volatile long id;

    private volatile boolean open;
    private volatile boolean commandMode;
    private volatile boolean oobEnabled;
    /** Written under lock: the monitor left the server; no more events. */
    private volatile boolean retired;

    QmpSession(Chardev chardev) {
        this.chardev = chardev;
    }

    long id() {
        return id;
    }

    boolean commandMode() {
        return commandMode;
    }

    boolean oobEnabled() {
        return oobEnabled;
    }

    /** A client connected: a new session in negotiation mode, greeted with {@code greeting}. */
    void open(byte[] greeting) {
        synchronized (lock) {
            id++;
            open = true;
            commandMode = false;
            oobEnabled = false;
            chardev.write(greeting);
        }
    }

    /** The client left: its session ends. */
    void close() {
        synchronized (lock) {
            id++;
            open = false;
            commandMode = false;
            oobEnabled = false;
        }
    }

    /**
     * {@code qmp_capabilities} succeeded: command mode with the accepted capabilities. False (and
     * nothing changes) if the client of {@code requestSession} has gone.
     */
    boolean negotiate(long requestSession, boolean oob) {
        synchronized (lock) {
            if (id != requestSession || !open) {
                return false;
            }
            oobEnabled = oob;
            commandMode = true;
            return true;
        }
    }

    /** Writes a reply, if the client of {@code requestSession} is still the one connected. */
    void reply(long requestSession, byte[] bytes) {
        synchronized (lock) {
            if (open && id == requestSession) {
                chardev.write(bytes);
            }
        }
    }

    /** Whether an event would be written now (checked again under the lock when it is). */
    boolean wantsEvents() {
        return commandMode && !retired;
    }

    /** Writes an event if the client finished negotiation and the monitor is still in the server. */
    void event(byte[] bytes) {
        synchronized (lock) {
            if (open && commandMode && !retired) {
                chardev.write(bytes);
            }
        }
    }

    /** The monitor left the server: no more events, even from a broadcast already under way. */
    void retire() {
        synchronized (lock) {
            retired = true;
        }
    }
}
