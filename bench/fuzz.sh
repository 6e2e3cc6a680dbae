#!/bin/sh
# A longer fuzz run of the input path (not CI): the jqwik properties of
# qmpd-core's InputFuzzProperties with many more tries, plus the differential
# run against QEMU with more generated sessions when QEMU is installed.
#   bench/fuzz.sh [tries] [sessions]      defaults: 20000 tries, 3000 sessions
set -eu
cd "$(dirname "$0")/.."
TRIES=${1:-20000}
SESSIONS=${2:-3000}
start=$(date +%s)
mvn -B -ntp -q -pl qmpd-core -am test -Dtest=InputFuzzProperties -Dsurefire.failIfNoSpecifiedTests=false \
    -Djqwik.tries.default="$TRIES"
grep -h "tries\|checks\|seed" qmpd-core/target/surefire-reports/io.qmpd.monitor.InputFuzzProperties-output.txt || true
mid=$(date +%s)
echo "fuzz: InputFuzzProperties with $TRIES tries per property: $((mid - start)) s"
if command -v qemu-system-x86_64 >/dev/null 2>&1; then
    mvn -B -ntp -q -pl qmpd-differential -am test -Dtest=DifferentialTest -Dsurefire.failIfNoSpecifiedTests=false \
        -Dqmpd.differential.sessions="$SESSIONS" -Dqmpd.differential.seed="$(date +%s)" | grep "^differential:"
    echo "fuzz: differential run with $SESSIONS generated sessions: $(( $(date +%s) - mid )) s"
fi
