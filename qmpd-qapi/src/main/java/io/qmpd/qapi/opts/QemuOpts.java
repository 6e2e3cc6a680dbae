package io.qmpd.qapi.opts;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One parsed option argument in QEMU's {@code key=value,key=value} syntax: the pairs in the order
 * written (a key may repeat; the last one wins, as in QEMU's {@code qemu_opt_get}).
 */
public record QemuOpts(List<Pair> pairs) {

    /** One {@code key=value}; a flag written without {@code =} has value {@code on} (or {@code off} for {@code noKEY}). */
    public record Pair(String key, String value) {
        public Pair {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    public QemuOpts {
        pairs = List.copyOf(pairs);
    }

    /** The last value given for {@code key}. */
    public Optional<String> get(String key) {
        for (int i = pairs.size() - 1; i >= 0; i--) {
            if (pairs.get(i).key().equals(key)) {
                return Optional.of(pairs.get(i).value());
            }
        }
        return Optional.empty();
    }

    public boolean has(String key) {
        return get(key).isPresent();
    }

    /**
     * A boolean as QEMU reads it: {@code on|yes|true|y} and {@code off|no|false|n}, case-sensitive.
     *
     * @throws IllegalArgumentException {@code Parameter 'KEY' expects 'on' or 'off'}
     */
    public boolean bool(String key, boolean absent) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return absent;
        }
        return switch (v.get()) {
            case "on", "yes", "true", "y" -> true;
            case "off", "no", "false", "n" -> false;
            default -> throw new IllegalArgumentException("Parameter '" + key + "' expects 'on' or 'off'");
        };
    }
}
