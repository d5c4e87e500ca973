#!/usr/bin/env bash
# Profiles Hitotsu under one scenario's load with Java Flight Recorder (async-profiler is not
# installed here): starts the server on the bench data, runs the load driver, records only the
# measured window (JFR.start after the warm-up), stops everything, and prints the hottest frames.
#
# usage: bench/profile.sh SCENARIO [--jdk 17|25] [--alg RS256|ES256] [--warmup S] [--duration S]
#                         [--users N] [--filter REGEX]
# Needs a previous bench/run.sh (the jar, target/bench/cp.txt, the bench data directory).
# Wrap it in the CPU lock like any measurement: flock /tmp/hitotsu-cpu.lock bench/profile.sh ...
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source bench/bench.env
B=$ROOT/target/bench
SCENARIO=${1:?scenario}; shift
JDK=17 ALG=RS256 WARMUP=10 DURATION=15 USERS=8 FILTER=""
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) JDK=$2; shift 2 ;;
    --alg) ALG=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --filter) FILTER=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$JDK" in 17) JH=/usr/lib/jvm/java-17-openjdk-amd64 ;; 25) JH=/usr/lib/jvm/temurin-25-jdk-amd64 ;; *) JH=$JDK ;; esac
REALMS_DIR=$ROOT/bench/realms
if [ "$ALG" != RS256 ]; then
  REALMS_DIR=$B/realms-$ALG; mkdir -p "$REALMS_DIR"
  sed "s/^  signing-algorithm: RS256$/  signing-algorithm: $ALG/" bench/realms/bench.yaml > "$REALMS_DIR/bench.yaml"
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
"$JH/bin/jcmd" "$SERVER_PID" JFR.start name=bench settings=profile duration=$((DURATION - 2))s \
  filename="$OUT/server.jfr" > /dev/null
wait "$GATLING_PID" || { tail -20 "$OUT/gatling.log"; exit 1; }
GATLING_PID=""
sleep 1
cat "$OUT/probe.json" 2>/dev/null; echo
"$JH/bin/jfr" print --events jdk.ExecutionSample --stack-depth 96 "$OUT/server.jfr" > "$OUT/samples.txt"
python3 - "$OUT/samples.txt" "$FILTER" <<'PY'
import collections, re, sys
text = open(sys.argv[1]).read()
filt = sys.argv[2] or None
own, incl, n = collections.Counter(), collections.Counter(), 0
for sample in text.split("jdk.ExecutionSample")[1:]:
    frames = re.findall(r"^\s+([\w$./<>-]+)\(.*?\)\s+line:", sample, re.M)
    if not frames or (filt and not any(re.search(filt, f) for f in frames)):
        continue
    n += 1
    own[frames[0]] += 1
    for f in set(frames):
        incl[f] += 1
print(f"{n} samples")
print("--- self")
for f, c in own.most_common(35): print(f"{100 * c / n:5.1f}% {f}")
print("--- inclusive")
for f, c in incl.most_common(110): print(f"{100 * c / n:5.1f}% {f}")
PY
echo "recording: $OUT/server.jfr"
