package io.qmpd.bench.side;

import java.util.Locale;

/**
 * One row of the side-by-side table. {@code qemu} is NaN where QEMU 7.2 cannot do it.
 * A target is either a ratio bound (qmpd / QEMU, {@code lowerIsBetter} says in which direction)
 * or an absolute bound on qmpd's value ({@code absolute}); {@code target} NaN means none.
 */
record Figure(
        String key,
        String name,
        String unit,
        double qemu,
        double qmpd,
        boolean lowerIsBetter,
        double target,
        boolean absolute) {

    double ratio() {
        return qmpd / qemu;
    }

    boolean hasTarget() {
        return !Double.isNaN(target);
    }

    boolean met() {
        double v = absolute ? qmpd : ratio();
        return lowerIsBetter ? v <= target : v >= target;
    }

    String targetText() {
        if (!hasTarget()) {
            return "-";
        }
        String op = lowerIsBetter ? "<= " : ">= ";
        return absolute ? op + fmt(target) + " " + unit : op + fmt(target) + "x QEMU";
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** A markdown table row: figure, QEMU, qmpd, ratio, target, met. */
    String markdown() {
        String ratio = Double.isNaN(qemu) ? "-" : String.format(Locale.ROOT, "%.3fx", ratio());
        String met = hasTarget() ? (met() ? "yes" : "**no**") : "-";
        return "| " + name + " (" + unit + ") | " + fmt(qemu) + " | " + fmt(qmpd) + " | " + ratio + " | " + targetText()
                + " | " + met + " |";
    }

    /** Tab-separated, for the plots: key, name, unit, qemu, qmpd, target, absolute, lowerIsBetter. */
    String tsv() {
        return String.join(
                "\t",
                key,
                name,
                unit,
                Double.toString(qemu),
                Double.toString(qmpd),
                Double.toString(target),
                Boolean.toString(absolute),
                Boolean.toString(lowerIsBetter));
    }
}
