#!/usr/bin/env bash
# Start-up time, exec -> negotiated QMP session, for qmpd (bin/qmpd's java command, with and
# without the CDS archive) and for QEMU 7.2 with the test-suite command line. Uses hyperfine when
# installed, else a loop of N runs timed with date +%s%N. Usage: bench/startup.sh [N]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-10}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
jar="$root/qmpd-daemon/target/qmpd.jar"
jsa="$root/qmpd-daemon/target/qmpd.jsa"
opts=(-machine none -nodefaults -display none -S -qmp "unix:$dir/q.sock,server=on,wait=off")

# One run: start, connect as soon as the socket exists, negotiate, quit.
one() {
    rm -f "$dir/q.sock"
    "$@" "${opts[@]}" >/dev/null 2>&1 &
    local pid=$!
    python3 - "$dir/q.sock" <<'PY'
import socket, sys, time, os
path = sys.argv[1]
while True:
    try:
        s = socket.socket(socket.AF_UNIX); s.connect(path); break
    except OSError:
        time.sleep(0.001)
f = s.makefile('rb'); f.readline()
s.sendall(b'{"execute":"qmp_capabilities"}\n'); f.readline()
s.sendall(b'{"execute":"quit"}\n')
PY
    wait "$pid" || true
}

measure() {
    local name=$1; shift
    local t0 t1 total=0
    for _ in $(seq "$n"); do
        t0=$(date +%s%N); one "$@"; t1=$(date +%s%N)
        total=$((total + t1 - t0))
    done
    printf '%-40s %6.3f s (mean of %d)\n' "$name" "$(echo "$total / $n / 1000000000" | bc -l)" "$n"
}

export -f one
if command -v qemu-system-x86_64 >/dev/null; then
    measure "qemu-system-x86_64 7.2" qemu-system-x86_64
fi
measure "qmpd (java -jar)" java -jar "$jar"
measure "qmpd TieredStopAtLevel=1" java -XX:TieredStopAtLevel=1 -jar "$jar"
if [ ! -f "$jsa" ]; then
    java -XX:ArchiveClassesAtExit="$jsa" -jar "$jar" -version >/dev/null 2>&1 || true
    one java -XX:ArchiveClassesAtExit="$jsa" -jar "$jar"
fi
measure "qmpd CDS + TieredStopAtLevel=1" java -XX:SharedArchiveFile="$jsa" -XX:TieredStopAtLevel=1 -jar "$jar"
