package io.qmpd.chardev;

import io.qmpd.qapi.QmpException;

/**
 * QEMU's {@code chardev-add} error, {@code Failed to add chardev '<id>': <reason>}, and its reason
 * alone, which QEMU's command line and HMP's {@code chardev-add} print instead.
 */
public final class ChardevAddFailure {

    private ChardevAddFailure() {}

    public static QmpException of(String id, String reason) {
        return QmpException.generic(prefix(id) + reason);
    }

    /** The reason in {@code chardev-add}'s error {@code desc} for {@code id}; any other text as it is. */
    public static String reason(String id, String desc) {
        String prefix = prefix(id);
        return desc.startsWith(prefix) ? desc.substring(prefix.length()) : desc;
    }

    private static String prefix(String id) {
        return "Failed to add chardev '" + id + "': ";
    }
}
