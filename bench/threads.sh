#!/usr/bin/env bash
# CPU seconds per thread group of a running JVM over a window, read from /proc (exact, unlike
# JFR's execution samples, which rarely catch virtual threads: in a login bench they showed the
# password hash at 83 % of the samples when it took 54 % of the CPU).
#
# usage: bench/threads.sh PID [SECONDS]     e.g. during a bench/run.sh scenario's measured window
# Groups are thread names without their trailing number: "password-hashing" (the Argon2 pool),
# "ForkJoinPool" (the carriers of the request handlers' virtual threads), "C2 CompilerThread", ...
set -euo pipefail
PID=${1:?pid}; SECONDS_TO_WATCH=${2:-10}
snapshot() {
  for task in /proc/"$PID"/task/*; do
    name=$(sed 's/[-#]*[0-9]*$//' "$task/comm" 2>/dev/null) || continue
    stat=$(sed 's/.*) //' "$task/stat" 2>/dev/null) || continue
    read -r -a fields <<< "$stat"
    echo "$(basename "$task")|$name|$(( fields[11] + fields[12] ))"
  done
}
BEFORE=$(snapshot); sleep "$SECONDS_TO_WATCH"; AFTER=$(snapshot)
python3 - "$BEFORE" "$AFTER" "$(getconf CLK_TCK)" <<'PY'
import collections, sys
ticks = int(sys.argv[3])
before = {l.split('|')[0]: int(l.split('|')[2]) for l in sys.argv[1].splitlines() if l}
groups = collections.Counter()
for line in sys.argv[2].splitlines():
    if line:
        tid, name, used = line.split('|')
        groups[name] += int(used) - before.get(tid, 0)
total = sum(groups.values())
for name, used in groups.most_common(12):
    print(f"{used / ticks:8.2f} s {100 * used / max(total, 1):5.1f} %  {name}")
print(f"{total / ticks:8.2f} s total")
PY
