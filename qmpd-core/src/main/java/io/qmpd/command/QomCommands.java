package io.qmpd.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.qmpd.chardev.Chardev;
import io.qmpd.qapi.ErrorClass;
import io.qmpd.qapi.QmpError;
import io.qmpd.qapi.QmpException;
import io.qmpd.qom.ObjectContainer;
import io.qmpd.qom.UserObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * QEMU 11.1's object form of monitor hotplug and the QOM reads around it: {@code object-add}
 * ({@code monitor-qmp}, {@code monitor-hmp}, {@code secret}), {@code object-del},
 * {@code qom-list} and {@code qom-get} for {@code /objects} and {@code /chardevs}. Each is
 * registered only if the schema declares it.
 */
public final class QomCommands {

    /** {@code object-del} arguments. */
    public record ObjectDelArgs(String id) {
    }

    /** {@code qom-list} arguments. */
    public record QomListArgs(String path) {
    }

    /** {@code qom-get} arguments. */
    public record QomGetArgs(String path, String property) {
    }

    /** One {@code qom-list} entry (QAPI ObjectPropertyInfo; optional members never set here). */
    public record ObjectPropertyInfo(String name, String type) {
    }

    private static final String CHARDEVS = "/chardevs";

    private QomCommands() {
    }

    public static CommandRegistry.Builder registerAll(CommandRegistry.Builder builder, io.qmpd.qapi.Schema schema) {
        if (schema.command("object-add").isPresent()) {
            builder.register("object-add", JsonNode.class, QomCommands::objectAdd);
        }
        if (schema.command("object-del").isPresent()) {
            builder.register("object-del", ObjectDelArgs.class, (ctx, a) -> {
                ctx.env().hotplug().objectDel(a.id());
                return null;
            });
        }
        if (schema.command("qom-list").isPresent()) {
            builder.register("qom-list", QomListArgs.class, (ctx, a) -> qomList(ctx.env().hotplug(), a.path()));
        }
        if (schema.command("qom-get").isPresent()) {
            builder.register("qom-get", QomGetArgs.class, (ctx, a) -> a.path().equals("/machine")
                    ? machineProperty(ctx.machine().qomType(), a) : qomGet(ctx.env().hotplug(), a));
        }
        return builder;
    }

    /** Arguments were validated against the schema's ObjectOptions union. */
    private static Object objectAdd(CommandContext ctx, JsonNode args) {
        ObjectNode o = (ObjectNode) args;
        String type = o.get("qom-type").textValue();
        String id = o.get("id").textValue();
        MonitorHotplug hotplug = ctx.env().hotplug();
        switch (type) {
            case MonitorHotplug.QMP_TYPE -> hotplug.objectAddQmp(id, o.get("chardev").textValue(),
                    o.path("pretty").asBoolean(false), "delete".equals(o.path("close-action").asText("none")));
            case MonitorHotplug.HMP_TYPE -> hotplug.objectAddHmp(id, o.get("chardev").textValue(),
                    o.path("readline").asBoolean(true));
            default -> {
                ObjectContainer.requireIdentifier(id);
                hotplug.objects().add(new UserObject(id, type, null));
            }
        }
        return null;
    }

    private static List<ObjectPropertyInfo> qomList(MonitorHotplug hotplug, String path) {
        List<ObjectPropertyInfo> list = new ArrayList<>();
        list.add(new ObjectPropertyInfo("type", "string"));
        if (path.equals(ObjectContainer.PATH)) {
            for (UserObject o : hotplug.objects().qomOrder()) {
                list.add(new ObjectPropertyInfo(o.name(), "child<" + o.qomType() + ">"));
            }
            return list;
        }
        if (path.equals(CHARDEVS)) {
            for (Chardev c : hotplug.chardevs().qomOrder()) {
                list.add(new ObjectPropertyInfo(c.id(), "child<" + chardevType(c) + ">"));
            }
            return list;
        }
        objectType(hotplug, path).orElseThrow(() -> notFound(path));
        return list; // qmpd models no further properties of single objects
    }

    /** {@code /machine}: only its type (conformance case 131). */
    private static Object machineProperty(String type, QomGetArgs a) {
        if (a.property().equals("type")) {
            return TextNode.valueOf(type);
        }
        throw QmpException.generic("Property '" + type + "." + a.property() + "' not found");
    }

    private static Object qomGet(MonitorHotplug hotplug, QomGetArgs a) {
        String type = objectType(hotplug, a.path()).orElseThrow(() -> notFound(a.path()));
        if (a.property().equals("type")) {
            return TextNode.valueOf(type);
        }
        throw QmpException.generic("Property '" + type + "." + a.property() + "' not found");
    }

    /** The QOM type of the object at {@code path}, for the paths qmpd models. */
    private static Optional<String> objectType(MonitorHotplug hotplug, String path) {
        if (path.equals(ObjectContainer.PATH) || path.equals(CHARDEVS)) {
            return Optional.of("container");
        }
        if (path.startsWith(ObjectContainer.PATH + "/")) {
            return hotplug.objects().find(path.substring(ObjectContainer.PATH.length() + 1)).map(UserObject::qomType);
        }
        if (path.startsWith(CHARDEVS + "/")) {
            return hotplug.chardevs().find(path.substring(CHARDEVS.length() + 1)).map(QomCommands::chardevType);
        }
        return Optional.empty();
    }

    private static String chardevType(Chardev chardev) {
        return "chardev-" + chardev.backendKind();
    }

    private static QmpException notFound(String path) {
        return new QmpException(new QmpError(ErrorClass.DeviceNotFound, "Device '" + path + "' not found"));
    }
}
