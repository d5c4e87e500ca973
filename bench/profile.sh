#!/usr/bin/env bash
# Profiles Hitotsu under one scenario's load: starts the server on the bench data, runs the load
# driver, records only the measured window (after the warm-up), stops everything, and prints the
# hottest frames.
#
# usage: bench/profile.sh SCENARIO [--jdk 17|25] [--alg RS256|ES256] [--warmup S] [--duration S]
#                         [--users N] [--filter REGEX] [--async]
# By default it records with Java Flight Recorder, which rarely samples virtual threads (every
# request runs on one): its shares overstate platform threads such as the password-hashing pool.
# --async samples with async-profiler instead (tools.profiler:async-profiler from Maven Central,
# attached with jcmd; CPU time by interval timer, every thread, virtual threads on their
# carriers), and also prints CPU by thread group.
# Needs a previous bench/run.sh (the jar, target/bench/cp.txt, the bench data directory).
# Wrap it in the CPU lock like any measurement: flock /tmp/hitotsu-cpu.lock bench/profile.sh ...
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source bench/bench.env
B=$ROOT/target/bench
SCENARIO=${1:?scenario}; shift
JDK=17 ALG=RS256 WARMUP=10 DURATION=15 USERS=8 FILTER="" PROFILER=jfr
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) JDK=$2; shift 2 ;;
    --alg) ALG=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --filter) FILTER=$2; shift 2 ;;
    --async) PROFILER=async; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$JDK" in 17) JH=/usr/lib/jvm/java-17-openjdk-amd64 ;; 25) JH=/usr/lib/jvm/temurin-25-jdk-amd64 ;; *) JH=$JDK ;; esac
REALMS_DIR=$ROOT/bench/realms
if [ "$ALG" != RS256 ]; then
  REALMS_DIR=$B/realms-$ALG; mkdir -p "$REALMS_DIR"
  sed "s/^  signing-algorithm: RS256$/  signing-algorithm: $ALG/" bench/realms/bench.yaml > "$REALMS_DIR/bench.yaml"
fi
if [ "$PROFILER" = async ]; then
  AP_JAR=$HOME/.m2/repository/tools/profiler/async-profiler/$ASYNC_PROFILER_VERSION/async-profiler-$ASYNC_PROFILER_VERSION-linux-x64.jar
  [ -f "$AP_JAR" ] || mvn -q -B dependency:get -Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION:jar:linux-x64"
  unzip -o -q "$AP_JAR" 'linux-x64/*' -d "$B/async-profiler"
  AP_LIB=$B/async-profiler/linux-x64/libasyncProfiler.so
fi
JAR=$(ls "$ROOT"/target/hitotsu-*.jar | grep -v original | head -1)
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$B/cp.txt")"
OUT=$B/profile/$(date +%Y%m%d-%H%M%S)-$SCENARIO
mkdir -p "$OUT"
PORT=$((20000 + RANDOM % 20000))
SERVER_PID="" GATLING_PID=""
cleanup() {
  [ -n "$GATLING_PID" ] && kill -TERM "$GATLING_PID" 2>/dev/null || true
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"; for _ in $(seq 1 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
# shellcheck disable=SC2086
HITOTSU_KEYS_MASTER_KEY=$BENCH_MASTER_KEY "$JH/bin/java" ${HITOTSU_JAVA_OPTS:-} -jar "$JAR" \
  --server.port=$PORT --server.address=127.0.0.1 --hitotsu.realms-dir="$REALMS_DIR" \
  --hitotsu.data-dir="$B/hitotsu-data" > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 2400); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/actuator/health/readiness" && break; sleep 0.1; done
java -Xms512m -Xmx1g --add-opens=java.base/java.lang=ALL-UNNAMED -cp "$CP" \
  -Dgatling.data.enableAnalytics=false -Dgatling.http.warmUpUrl= \
  -Dlogback.configurationFile="$ROOT/bench/logback-gatling.xml" -Dbench.failureLog="$OUT/failures.log" \
  -Dbench.issuer="http://127.0.0.1:$PORT/realms/bench" -Dbench.scenario="$SCENARIO" -Dbench.alg="$ALG" \
  -Dbench.warmUp="$WARMUP" -Dbench.duration="$DURATION" -Dbench.users="$USERS" -Dbench.rate=0 \
  -Dbench.cc.clientId="$BENCH_CC_CLIENT_ID" -Dbench.cc.clientSecret="$BENCH_CC_CLIENT_SECRET" \
  -Dbench.cc.scope="$BENCH_CC_SCOPE" -Dbench.web.clientId="$BENCH_WEB_CLIENT_ID" \
  -Dbench.web.clientSecret="$BENCH_WEB_CLIENT_SECRET" -Dbench.web.redirectUri="$BENCH_REDIRECT_URI" \
  -Dbench.userPrefix="$BENCH_USER_PREFIX" -Dbench.userCount="$BENCH_USER_COUNT" -Dbench.password="$BENCH_PASSWORD" \
  -Dbench.serverPid="$SERVER_PID" -Dbench.pgDataDir="$B/hitotsu-data/internet/postgres" \
  -Dbench.clockTicks="$(getconf CLK_TCK)" -Dbench.probeOut="$OUT/probe.json" \
  io.gatling.app.Gatling --simulation jp.hitotsu.bench.OidcSimulation --results-folder "$OUT" > "$OUT/gatling.log" 2>&1 &
GATLING_PID=$!
# the set-up logins and the warm-up, then record the measured window
sleep $((WARMUP + 3))
if [ "$PROFILER" = async ]; then
  # quoted again: jcmd would otherwise read the options' "=" as its own name=value arguments
  "$JH/bin/jcmd" "$SERVER_PID" JVMTI.agent_load "$AP_LIB" \
    "\"start,event=itimer,interval=1ms,threads,timeout=$((DURATION - 2)),file=$OUT/server.collapsed\"" > /dev/null
else
  "$JH/bin/jcmd" "$SERVER_PID" JFR.start name=bench settings=profile duration=$((DURATION - 2))s \
    filename="$OUT/server.jfr" > /dev/null
fi
wait "$GATLING_PID" || { tail -20 "$OUT/gatling.log"; exit 1; }
GATLING_PID=""
sleep 1
cat "$OUT/probe.json" 2>/dev/null; echo
if [ "$PROFILER" = async ]; then
  SAMPLES=$OUT/server.collapsed
else
  SAMPLES=$OUT/samples.txt
  "$JH/bin/jfr" print --events jdk.ExecutionSample --stack-depth 96 "$OUT/server.jfr" > "$SAMPLES"
fi
python3 - "$SAMPLES" "$FILTER" "$PROFILER" <<'PY'
import collections, re, sys
filt = sys.argv[2] or None
stacks = []  # (thread group, frames from the innermost, weight)
if sys.argv[3] == "async":
    for line in open(sys.argv[1]):
        path, _, count = line.rstrip().rpartition(" ")
        frames = path.split(";")
        thread = re.sub(r"[-#]*\d*( tid=\d+)?\]$", "", frames[0].lstrip("["))
        stacks.append((thread, [re.sub(r"_\[[a-z0-9]\]$", "", f) for f in reversed(frames[1:])], int(count)))
else:
    for sample in open(sys.argv[1]).read().split("jdk.ExecutionSample")[1:]:
        stacks.append(("", re.findall(r"^\s+([\w$./<>-]+)\(.*?\)\s+line:", sample, re.M), 1))
own, incl, threads, n = collections.Counter(), collections.Counter(), collections.Counter(), 0
for thread, frames, weight in stacks:
    if not frames or (filt and not any(re.search(filt, f) for f in frames)):
        continue
    n += weight
    threads[thread] += weight
    own[frames[0]] += weight
    for f in set(frames):
        incl[f] += weight
print(f"{n} samples")
if sys.argv[3] == "async":
    print("--- threads")
    for t, c in threads.most_common(12): print(f"{100 * c / n:5.1f}% {t}")
print("--- self")
for f, c in own.most_common(35): print(f"{100 * c / n:5.1f}% {f}")
print("--- inclusive")
for f, c in incl.most_common(110): print(f"{100 * c / n:5.1f}% {f}")
PY
echo "recording: $OUT"
