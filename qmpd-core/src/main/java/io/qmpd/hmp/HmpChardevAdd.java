package io.qmpd.hmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmpd.chardev.ChardevAddFailure;
import io.qmpd.chardev.ChardevOpts;
import io.qmpd.qapi.QmpException;
import io.qmpd.qapi.opts.QemuOpts;
import io.qmpd.qapi.opts.QemuOptsList;

/**
 * HMP {@code chardev-add ARGS}, as QEMU's {@code hmp_chardev_add}: {@code ARGS} is one word in
 * {@code -chardev} syntax, parsed with the {@code chardev} option list; a syntax error is printed
 * as it is, followed by {@code Error: Parsing chardev args failed}; the chardev is then created by
 * the QMP twin's handler, and its errors print as {@code Error: <text>}.
 *
 * <p>QEMU creates an HMP chardev through {@code qemu_chr_new_from_opts}, not through
 * {@code qmp_chardev_add}: its errors carry no {@code Failed to add chardev 'ID': } prefix, and an id
 * already taken is refused by the QOM container ({@code attempt to add duplicate property ...}), not
 * by QMP's {@code Chardev with id ... already exists}. Both are reproduced here. Runs on the
 * dispatcher.
 */
final class HmpChardevAdd {

    private static final String PARSE_FAILED = "Error: Parsing chardev args failed\n";

    private HmpChardevAdd() {}

    static void run(HmpCall c) {
        QemuOpts opts;
        try {
            QemuOptsList.Checked checked = ChardevOpts.LIST.parse(c.arg("args"));
            checked.warnings().forEach(w -> c.print(w + "\n"));
            opts = checked.opts();
            ChardevOpts.checkTypes(opts);
        } catch (IllegalArgumentException e) {
            c.print(e.getMessage() + "\n" + PARSE_FAILED);
            return;
        }
        String id = opts.get("id").orElse(null);
        if (id == null) {
            c.print("Error: chardev: no id specified\n");
            return;
        }
        ChardevOpts chardev;
        try {
            chardev = ChardevOpts.of(id, opts, c.env().chardevBackends());
        } catch (IllegalArgumentException e) {
            c.print("Error: " + e.getMessage() + "\n");
            return;
        }
        JsonNode existing = c.qmpOrPrint("query-chardev", null);
        if (existing == null) {
            return;
        }
        for (JsonNode info : existing) {
            if (info.path("label").asText().equals(id)) {
                c.print("Error: attempt to add duplicate property '" + id + "' to object (type 'container')\n");
                return;
            }
        }
        ObjectNode arguments = JsonNodeFactory.instance.objectNode().put("id", id);
        arguments.set("backend", chardev.backend().deepCopy());
        try {
            JsonNode added = c.qmp("chardev-add", arguments);
            if (added.has("pty")) {
                c.print(ChardevOpts.redirectedLine(added.get("pty").asText(), id));
            }
        } catch (QmpException e) {
            c.print("Error: " + ChardevAddFailure.reason(id, e.error().desc()) + "\n");
        }
    }
}
