package io.qmpd.qapi.internal;

import io.qmpd.qapi.internal.QapiType.Member;
import io.qmpd.qapi.internal.QapiType.ObjectType;
import io.qmpd.qapi.internal.QapiType.Variant;
import java.util.ArrayList;
import java.util.List;

/** Writes docs/commands.md from the schema: every command and event with arguments, return type, flags and our doc text. */
final class CommandDocsGenerator {

    private final SchemaModel model;
    private final StringBuilder out = new StringBuilder();

    CommandDocsGenerator(SchemaModel model) {
        this.model = model;
    }

    String generate() {
        out.append("# qmpd commands and events\n\n")
                .append("Generated from the schema files in `qmpd-qapi/src/main/resources/io/qmpd/qapi/schema/` by\n")
                .append("`CommandDocsGenerator`; do not edit by hand. Regenerate with\n")
                .append(
                        "`mvn -pl qmpd-qapi -am test -Dtest=CommandDocsTest -Dsurefire.failIfNoSpecifiedTests=false -Dqmpd.regenerateDocs=true`.\n\n")
                .append("A `*` marks an optional member. Types in `[ ]` are lists.\n\n## Commands\n");
        for (CommandDef c : model.commands().values()) {
            out.append("\n### ").append(c.name()).append("\n\n");
            doc(c.doc());
            List<String> flags = new ArrayList<>();
            if (c.allowOob()) {
                flags.add("allow-oob");
            }
            if (c.allowPreconfig()) {
                flags.add("allow-preconfig");
            }
            if (!c.successResponse()) {
                flags.add("no success response");
            }
            c.features().forEach(f -> flags.add("feature " + f));
            if (!flags.isEmpty()) {
                out.append("Flags: ").append(String.join(", ", flags)).append("\n\n");
            }
            members("Arguments", c.argType());
            out.append("Returns: ")
                    .append(c.retType() == null ? "nothing (`{}`)" : "`" + c.retType() + "`")
                    .append("\n");
        }
        out.append("\n## Events\n");
        for (EventDef e : model.events().values()) {
            out.append("\n### ").append(e.name()).append("\n\n");
            doc(e.doc());
            if (!e.features().isEmpty()) {
                out.append("Features: ").append(String.join(", ", e.features())).append("\n\n");
            }
            members("Data", e.argType());
        }
        return out.toString();
    }

    private void doc(String doc) {
        if (!doc.isEmpty()) {
            out.append(doc.replace('\n', ' ')).append("\n\n");
        }
    }

    private void members(String title, String typeName) {
        if (typeName == null) {
            out.append(title).append(": none\n\n");
            return;
        }
        ObjectType type = model.types().object(typeName);
        out.append(title)
                .append(type.implicit() ? ":" : " (`" + typeName + "`):")
                .append("\n\n");
        for (Member m : model.types().allMembers(type)) {
            out.append("- `")
                    .append(m.optional() ? "*" : "")
                    .append(m.name())
                    .append("`: `")
                    .append(m.type())
                    .append('`');
            if (!m.features().isEmpty()) {
                out.append(" (").append(String.join(", ", m.features())).append(')');
            }
            out.append('\n');
        }
        if (type.isUnion()) {
            out.append("- by `").append(type.tag()).append("`:");
            for (Variant v : type.variants()) {
                out.append(" `")
                        .append(v.caseName())
                        .append("` adds `")
                        .append(v.type())
                        .append("`;");
            }
            out.setLength(out.length() - 1);
            out.append('\n');
        }
        out.append('\n');
    }
}
