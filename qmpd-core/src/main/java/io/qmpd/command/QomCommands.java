package io.qmpd.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.qmpd.qapi.QmpException;
import io.qmpd.qom.ObjectContainer;
import io.qmpd.qom.Secrets;
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
    public record ObjectDelArgs(String id) {}

    /** {@code qom-list} arguments. */
    public record QomListArgs(String path) {}

    /** {@code qom-get} arguments. */
    public record QomGetArgs(String path, String property) {}

    /** One {@code qom-list} entry (QAPI ObjectPropertyInfo; optional members never set here). */
    public record ObjectPropertyInfo(String name, String type) {}

    private QomCommands() {}

    public static void registerAll(CommandRegistry.Builder builder) {
        builder.registerIfDeclared("object-add", JsonNode.class, QomCommands::objectAdd);
        builder.registerIfDeclared("object-del", ObjectDelArgs.class, (ctx, a) -> {
            ctx.env().hotplug().objectDel(a.id());
            return null;
        });
        builder.registerIfDeclared("qom-list", QomListArgs.class, (ctx, a) -> qomList(tree(ctx), a.path()));
        builder.registerIfDeclared("qom-get", QomGetArgs.class, (ctx, a) -> qomGet(tree(ctx), a));
    }

    /** Arguments were validated against the schema's ObjectOptions union. */
    private static Object objectAdd(CommandContext ctx, JsonNode args) {
        ObjectNode o = (ObjectNode) args;
        String type = o.get("qom-type").textValue();
        String id = o.get("id").textValue();
        MonitorHotplug hotplug = ctx.env().hotplug();
        switch (type) {
            case MonitorHotplug.QMP_TYPE ->
                hotplug.objectAddQmp(
                        id,
                        o.get("chardev").textValue(),
                        o.path("pretty").asBoolean(false),
                        "delete".equals(o.path("close-action").asText("none")));
            case MonitorHotplug.HMP_TYPE ->
                hotplug.objectAddHmp(
                        id, o.get("chardev").textValue(), o.path("readline").asBoolean(true));
            default -> { // secret, the only other type of the schema's ObjectType
                ObjectContainer.requireIdentifier(id);
                // loaded before the id is taken: QEMU completes an object, then adds it
                hotplug.objects().add(UserObject.secret(id, Secrets.load(o, hotplug.objects())));
            }
        }
        return null;
    }

    /** The QOM tree as the request sees it: {@code /machine}, {@code /objects}, {@code /chardevs}. */
    public static QomTree tree(CommandContext ctx) {
        return new QomTree(ctx.env().machineQomType(), ctx.env().hotplug());
    }

    /** {@code type}, then the children; qmpd models no other property. */
    private static List<ObjectPropertyInfo> qomList(QomTree tree, String path) {
        List<String> object = tree.resolve(path).orElseThrow(() -> QomTree.notFound(path));
        List<ObjectPropertyInfo> list = new ArrayList<>();
        list.add(new ObjectPropertyInfo("type", "string"));
        tree.children(object).forEach((name, type) -> list.add(new ObjectPropertyInfo(name, "child<" + type + ">")));
        return list;
    }

    /** {@code type} (conformance case 131 reads the machine's) and the children are modeled. */
    private static Object qomGet(QomTree tree, QomGetArgs a) {
        Optional<List<String>> object;
        try {
            object = tree.resolve(a.path());
        } catch (QmpException ambiguous) {
            object = Optional.empty(); // qom-get does not tell an ambiguous path from a missing one
        }
        List<String> found = object.orElseThrow(() -> QomTree.notFound(a.path()));
        String type = tree.type(found);
        if (a.property().equals("type")) {
            return TextNode.valueOf(type);
        }
        if (tree.children(found).containsKey(a.property())) { // a child reads as its path
            List<String> child = new ArrayList<>(found);
            child.add(a.property());
            return TextNode.valueOf(QomTree.path(child));
        }
        throw QmpException.generic("Property '" + type + "." + a.property() + "' not found");
    }
}
