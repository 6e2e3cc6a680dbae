package io.qmpd.command;

import io.qmpd.chardev.Chardev;
import io.qmpd.qapi.ErrorClass;
import io.qmpd.qapi.QmpError;
import io.qmpd.qapi.QmpException;
import io.qmpd.qom.UserObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The QOM composition tree qmpd models, and QEMU's path resolution over it: the root, the
 * machine with its {@code peripheral}, {@code peripheral-anon} and {@code unattached}
 * containers, {@code /chardevs} and {@code /objects} with their children. An absolute path names
 * an object from the root (empty components are skipped, as QEMU skips them); a partial path is
 * an object whose path ends with it, and is ambiguous when several do. Built per call from the
 * registries; dispatcher-confined.
 */
public final class QomTree {

    /** The machine's child containers, in the order QEMU lists them. */
    private static final List<String> MACHINE_CONTAINERS = List.of("peripheral-anon", "peripheral", "unattached");

    /** Every modeled object: its path's components, and its QOM type. */
    private final Map<List<String>, String> types = new LinkedHashMap<>();

    QomTree(String machineType, MonitorHotplug hotplug) {
        // the root's children in the order QEMU's qom-list gives them
        types.put(List.of(), "container");
        types.put(List.of("objects"), "container");
        types.put(List.of("machine"), machineType);
        for (String c : MACHINE_CONTAINERS) {
            types.put(List.of("machine", c), "container");
        }
        types.put(List.of("chardevs"), "container");
        for (Chardev c : hotplug.chardevs().qomOrder()) {
            types.put(List.of("chardevs", c.id()), chardevType(c));
        }
        for (UserObject o : hotplug.objects().qomOrder()) {
            types.put(List.of("objects", o.name()), o.qomType());
        }
    }

    static String chardevType(Chardev chardev) {
        return "chardev-" + chardev.backendKind();
    }

    /**
     * The object at {@code path} (QEMU's {@code object_resolve_path}).
     *
     * @throws QmpException {@code Path 'x' is ambiguous} for a partial path several objects end with
     */
    Optional<List<String>> resolve(String path) {
        List<String> parts = components(path);
        if (path.startsWith("/")) {
            return types.containsKey(parts) ? Optional.of(parts) : Optional.empty();
        }
        List<List<String>> matches = new ArrayList<>();
        for (List<String> candidate : types.keySet()) {
            if (candidate.size() >= parts.size()
                    && candidate
                            .subList(candidate.size() - parts.size(), candidate.size())
                            .equals(parts)) {
                matches.add(candidate);
            }
        }
        if (matches.size() > 1) {
            throw QmpException.generic("Path '" + path + "' is ambiguous");
        }
        return matches.stream().findFirst();
    }

    /** The object {@code path} names relative to {@code /machine/peripheral} (QEMU's device ids). */
    public Optional<List<String>> resolveDevice(String id) {
        if (id.startsWith("/")) {
            return resolve(id);
        }
        List<String> parts = new ArrayList<>(List.of("machine", "peripheral"));
        parts.addAll(components(id));
        return types.containsKey(parts) ? Optional.of(parts) : Optional.empty();
    }

    /** An object's absolute path, as QEMU prints it. */
    static String path(List<String> object) {
        return "/" + String.join("/", object);
    }

    String type(List<String> object) {
        return types.get(object);
    }

    /** The children of {@code object}: name and type, in the order qom-list gives them. */
    Map<String, String> children(List<String> object) {
        Map<String, String> children = new LinkedHashMap<>();
        types.forEach((p, type) -> {
            if (p.size() == object.size() + 1 && p.subList(0, object.size()).equals(object)) {
                children.put(p.get(p.size() - 1), type);
            }
        });
        return children;
    }

    /** QEMU's {@code DeviceNotFound} for a path or device id that names nothing. */
    public static QmpException notFound(String path) {
        return new QmpException(new QmpError(ErrorClass.DeviceNotFound, "Device '" + path + "' not found"));
    }

    private static List<String> components(String path) {
        return Arrays.stream(path.split("/")).filter(c -> !c.isEmpty()).toList();
    }
}
