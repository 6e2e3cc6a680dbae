package io.qmpd.daemon;

import io.qmpd.qapi.opts.QemuOpts;
import io.qmpd.qapi.opts.QemuOptsList;
import io.qmpd.qapi.opts.QemuOptsParser;
import java.util.List;
import java.util.Set;

/**
 * {@code -object monitor-qmp,...} and {@code -object monitor-hmp,...}: the monitor objects of QEMU
 * 11.1, on the command line. Other object types are refused (qmpd has no other user-creatable
 * objects worth starting with).
 */
final class MonitorObjects {

    static final QemuOptsList QMP =
            new QemuOptsList("object", "qom-type", Set.of("qom-type", "id", "chardev", "pretty", "close-action"));
    static final QemuOptsList HMP =
            new QemuOptsList("object", "qom-type", Set.of("qom-type", "id", "chardev", "readline"));

    private MonitorObjects() {}

    static MonitorObjectSpec parse(String arg, String written, List<String> warnings) {
        String type = QemuOptsParser.parse(arg, "qom-type")
                .opts()
                .get("qom-type")
                .orElseThrow(() -> new IllegalArgumentException("Parameter 'qom-type' is missing"));
        boolean control = type.equals("monitor-qmp");
        if (!control && !type.equals("monitor-hmp")) {
            throw new IllegalArgumentException("Parameter 'qom-type' does not accept value '" + type + "'");
        }
        QemuOptsList.Checked checked;
        try {
            checked = (control ? QMP : HMP).parse(arg);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            if (m.startsWith("Invalid parameter '")) {
                String key = m.substring("Invalid parameter '".length(), m.length() - 1);
                throw new IllegalArgumentException("Property '" + type + "." + key + "' not found");
            }
            throw e;
        }
        warnings.addAll(checked.warnings());
        QemuOpts opts = checked.opts();
        String id = opts.get("id").orElseThrow(() -> new IllegalArgumentException("Parameter 'id' is missing"));
        String chardev =
                opts.get("chardev").orElseThrow(() -> new IllegalArgumentException("Parameter 'chardev' is missing"));
        String closeAction = opts.get("close-action").orElse("none");
        if (!closeAction.equals("none") && !closeAction.equals("delete")) {
            throw new IllegalArgumentException("Parameter 'close-action' does not accept value '" + closeAction + "'");
        }
        return new MonitorObjectSpec(
                control,
                id,
                chardev,
                opts.bool("pretty", false),
                opts.bool("readline", true),
                closeAction.equals("delete"),
                written);
    }
}
