package io.qmpd.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Where QEMU's commands take a {@code getfd} name, and how to rename them. QEMU looks such a name
 * up in the table of the monitor the command runs on; through the broker that is the one
 * upstream monitor every session shares, so a session's names are renamed on the way there.
 *
 * <p>A value starting with a digit is a descriptor number to QEMU, not a name: it is left as it
 * is. The places are those of QEMU 7.2's schema, and of later versions where a command kept its
 * shape (iommufd's {@code fd} is QEMU 9.0's); docs/broker.md lists them.
 */
final class DescriptorNames {

    /** Where a name sits in one command's arguments. */
    private interface Place {
        void rename(ObjectNode arguments, UnaryOperator<String> rename);
    }

    /** A member whose whole value is one name. */
    private static Place member(String name) {
        return (arguments, rename) -> {
            JsonNode value = arguments.get(name);
            if (value != null && value.isTextual() && isName(value.textValue())) {
                arguments.set(name, TextNode.valueOf(rename.apply(value.textValue())));
            }
        };
    }

    /** A member holding names separated by colons (tap's {@code fds} and {@code vhostfds}). */
    private static Place colonList(String name) {
        return (arguments, rename) -> {
            JsonNode value = arguments.get(name);
            if (value != null && value.isTextual()) {
                String[] parts = value.textValue().split(":", -1);
                for (int i = 0; i < parts.length; i++) {
                    if (isName(parts[i])) {
                        parts[i] = rename.apply(parts[i]);
                    }
                }
                arguments.set(name, TextNode.valueOf(String.join(":", parts)));
            }
        };
    }

    /** A member holding a URI whose {@code fd:} form names a descriptor (migration, dumps). */
    private static Place fdUri(String name) {
        return (arguments, rename) -> {
            JsonNode value = arguments.get(name);
            if (value != null && value.isTextual() && value.textValue().startsWith("fd:")) {
                String fdName = value.textValue().substring(3);
                if (isName(fdName)) {
                    arguments.set(name, TextNode.valueOf("fd:" + rename.apply(fdName)));
                }
            }
        };
    }

    /** A {@code SocketAddress} member: {@code {"type": "fd", "str": NAME}}. */
    private static Place socketAddress(String name) {
        return (arguments, rename) -> {
            if (arguments.get(name) instanceof ObjectNode address
                    && "fd".equals(address.path("type").asText(null))) {
                member("str").rename(address, rename);
            }
        };
    }

    /** A {@code SocketAddressLegacy} member: {@code {"type": "fd", "data": {"str": NAME}}}. */
    private static Place legacySocketAddress(String name) {
        return (arguments, rename) -> {
            if (arguments.get(name) instanceof ObjectNode address
                    && "fd".equals(address.path("type").asText(null))
                    && address.get("data") instanceof ObjectNode data) {
                member("str").rename(data, rename);
            }
        };
    }

    /** {@code places} in the object member {@code name}. */
    private static Place in(String name, Place... places) {
        return (arguments, rename) -> {
            if (arguments.get(name) instanceof ObjectNode inner) {
                for (Place place : places) {
                    place.rename(inner, rename);
                }
            }
        };
    }

    /** A chardev backend's socket address: {@code {"type": "socket", "data": {"addr": ...}}}. */
    private static final Place CHARDEV_BACKEND =
            in("backend", when("type", "socket", in("data", legacySocketAddress("addr"))));

    /** {@code places} only when the member {@code discriminator} is {@code value}. */
    private static Place when(String discriminator, String value, Place... places) {
        return (arguments, rename) -> {
            if (value.equals(arguments.path(discriminator).asText(null))) {
                for (Place place : places) {
                    place.rename(arguments, rename);
                }
            }
        };
    }

    private static final Map<String, List<Place>> PLACES = Map.ofEntries(
            Map.entry("chardev-add", List.of(CHARDEV_BACKEND)),
            Map.entry("chardev-change", List.of(CHARDEV_BACKEND)),
            Map.entry("migrate", List.of(fdUri("uri"))),
            Map.entry("migrate-incoming", List.of(fdUri("uri"))),
            Map.entry("dump-guest-memory", List.of(fdUri("protocol"))),
            Map.entry("add_client", List.of(member("fdname"))),
            Map.entry(
                    "netdev_add",
                    List.of(
                            when(
                                    "type",
                                    "tap",
                                    member("fd"),
                                    colonList("fds"),
                                    member("vhostfd"),
                                    colonList("vhostfds")),
                            when("type", "socket", member("fd")),
                            when("type", "vhost-vdpa", member("vhostfd")),
                            when("type", "stream", socketAddress("addr")),
                            when("type", "dgram", socketAddress("local"), socketAddress("remote")))),
            Map.entry("nbd-server-start", List.of(legacySocketAddress("addr"))),
            Map.entry("blockdev-add", List.of(when("driver", "nbd", socketAddress("server")))),
            Map.entry("device_add", List.of(member("vhostfd"))),
            Map.entry("object-add", List.of(when("qom-type", "iommufd", member("fd")))));

    private DescriptorNames() {}

    /** Whether QEMU reads {@code value} as a name (not a number). */
    private static boolean isName(String value) {
        return value.isEmpty() || !Character.isDigit(value.charAt(0));
    }

    /**
     * {@code arguments} of {@code command} with every descriptor name replaced by what {@code
     * rename} gives for it: a copy for a command that may name one ({@code arguments} itself is
     * left as it is), {@code arguments} for any other.
     */
    static ObjectNode renamed(String command, ObjectNode arguments, UnaryOperator<String> rename) {
        List<Place> places = PLACES.get(command);
        if (places == null) {
            return arguments;
        }
        ObjectNode copy = arguments.deepCopy();
        for (Place place : places) {
            place.rename(copy, rename);
        }
        return copy;
    }
}
