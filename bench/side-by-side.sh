#!/usr/bin/env bash
# QEMU 7.2 and qmpd side by side (see docs/performance.md). Builds the qmpd daemon jar
# and the bench jar, then runs io.qmpd.bench.side.SideBySide, which prints the table and writes
# results.md, results.tsv and one PNG per figure into OUT (default: bench-results/).
#   bench/side-by-side.sh [--out DIR] [--quick] [--qemu BINARY] [--dynamic N] [--java-opt OPT]...
# Takes about 3 minutes (--quick: about 40 s). Needs qemu-system-x86_64, socat for --broker's
# floor rows, and ulimit -n >= 12000 (with --broker: --dynamic plus a few hundred).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if [ "${SKIP_BUILD:-}" != 1 ]; then
    echo "side-by-side: building qmpd-daemon and qmpd-bench..." >&2
    mvn -B -q -ntp -Dstyle.color=never -DskipTests -pl qmpd-daemon,qmpd-bench -am package >&2
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "side-by-side: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs" >&2
exec java -Djava.awt.headless=true -cp qmpd-bench/target/benchmarks.jar io.qmpd.bench.side.SideBySide \
    --qmpd-jar qmpd-daemon/target/qmpd.jar "$@"
