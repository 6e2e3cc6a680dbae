package io.qmpd.daemon;

import java.util.Optional;

/**
 * The device strings {@code -qmp}, {@code -qmp-pretty} and {@code -monitor} take (QEMU's
 * {@code qemu_chr_parse_compat}): {@code unix:PATH[,opts]}, {@code tcp:HOST:PORT[,opts]},
 * {@code stdio}, {@code null}, {@code file:PATH} and {@code pipe:PATH} become a chardev labelled
 * {@code compat_monitorN}; {@code chardev:ID} names an existing one.
 */
final class LegacyChardev {

    private LegacyChardev() {}

    /** The chardev id after {@code chardev:}, if that is the form. */
    static Optional<String> existing(String device) {
        return device.startsWith("chardev:") ? Optional.of(device.substring("chardev:".length())) : Optional.empty();
    }

    /**
     * The {@code -chardev} argument equivalent to {@code device}, with id {@code label}.
     *
     * @throws IllegalArgumentException {@code 'X' is not a valid char driver}, or
     *                                  {@code parse error: X} for a tcp address without port
     */
    static String toChardevArgument(String device, String label) {
        if (device.equals("stdio") || device.equals("null")) {
            return device + ",id=" + label;
        }
        if (device.startsWith("file:") || device.startsWith("pipe:")) {
            int colon = device.indexOf(':');
            return device.substring(0, colon) + ",id=" + label + ",path="
                    + device.substring(colon + 1).replace(",", ",,");
        }
        if (device.startsWith("unix:")) {
            return "socket,id=" + label + ",path=" + device.substring("unix:".length());
        }
        if (device.startsWith("tcp:")) {
            String rest = device.substring("tcp:".length());
            int comma = rest.indexOf(',');
            String hostPort = comma < 0 ? rest : rest.substring(0, comma);
            String opts = comma < 0 ? "" : rest.substring(comma);
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("parse error: " + device);
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return "socket,id=" + label + ",host=" + host.replace(",", ",,") + ",port=" + hostPort.substring(colon + 1)
                    + opts;
        }
        throw new IllegalArgumentException("'" + device + "' is not a valid char driver");
    }
}
