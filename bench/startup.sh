#!/usr/bin/env bash
# Start-up time, exec -> negotiated QMP session, for QEMU 7.2 (the test-suite command line) and for
# qmpd: plain java -jar, with -XX:TieredStopAtLevel=1, and bin/qmpd (CDS archive, cached
# junixsocket and JNA libraries). Runs are interleaved (one of each per round) so that machine load hits
# all alike; prints the median and range of N rounds, both to the negotiated session and to the
# process's exit after quit, and the JVM floor (qmpd -version: start, print, exit).
# Usage: bench/startup.sh [N]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-10}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
jar="$root/qmpd-daemon/target/qmpd.jar"
jvm="java -Xshare:auto -XX:TieredStopAtLevel=1"
"$root/bin/qmpd" -version >/dev/null # builds the jar if it is stale
configs=()
if command -v qemu-system-x86_64 >/dev/null; then
    configs+=("qemu-system-x86_64 7.2::qemu-system-x86_64")
fi
configs+=("qmpd, java -jar::java -jar $jar"
          "qmpd, TieredStopAtLevel=1::$jvm -jar $jar"
          "qmpd, bin/qmpd::$root/bin/qmpd")
echo "load: $(cat /proc/loadavg)"
python3 - "$n" "$dir" "$jvm -jar $jar" "${configs[@]}" <<'PY'
import os, socket, statistics, subprocess, sys, time
n, d, floor = int(sys.argv[1]), sys.argv[2], sys.argv[3]
configs = [a.split("::", 1) for a in sys.argv[4:]]
sock = os.path.join(d, 'q.sock')
opts = ['-machine', 'none', '-nodefaults', '-display', 'none', '-S', '-qmp', f'unix:{sock},server=on,wait=off']

def one(cmd):
    """exec -> negotiated, exec -> exited after quit"""
    if os.path.exists(sock):
        os.unlink(sock)
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd.split() + opts, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(sock)
            break
        except OSError:
            s.close()
            if p.poll() is not None:
                sys.exit(f'{cmd}: exited before listening')
            time.sleep(0.0005)
    f = s.makefile('rb')
    f.readline()
    s.sendall(b'{"execute":"qmp_capabilities"}\n')
    f.readline()
    t1 = time.perf_counter()
    s.sendall(b'{"execute":"quit"}\n')
    try:
        f.read()
    except ConnectionResetError:
        pass
    s.close()
    p.wait()
    return t1 - t0, time.perf_counter() - t0

def floor_run():
    t0 = time.perf_counter()
    subprocess.run(floor.split() + ['-version'], stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0

res = {name: ([], []) for name, _ in configs}
floors = []
for name, cmd in configs:
    one(cmd)  # not counted: bin/qmpd's first serving run writes its archive; the page cache warms
for _ in range(n):
    for name, cmd in configs:
        a, b = one(cmd)
        res[name][0].append(a)
        res[name][1].append(b)
    floors.append(floor_run())
fmt = lambda v: f'{statistics.median(v):.3f} s ({min(v):.3f}-{max(v):.3f})'
print(f'{"median (min-max) of " + str(n):36} {"exec -> negotiated":>28}   {"exec -> exited after quit":>28}')
for name, _ in configs:
    print(f'{name:36} {fmt(res[name][0]):>28}   {fmt(res[name][1]):>28}')
print(f'{"JVM floor: qmpd -version":36} {"":>28}   {fmt(floors):>28}')
PY
echo "load: $(cat /proc/loadavg)"
