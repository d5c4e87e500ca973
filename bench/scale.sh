#!/usr/bin/env bash
# The million-account scale of issue 4: builds 1,000,000 citizens + 170,000 staff in the bench
# realm of an embedded PostgreSQL (target/bench/hitotsu-data, thrown away first) with the
# import-accounts command, and measures
#   1. the import itself (accounts without passwords, COPY + INSERT ... SELECT),
#   2. login and token issuance (bench/run.sh scenarios) with 1,000 accounts, then with 1.17 M,
#   3. SCIM and admin lookups by username, e-mail, employee number, name prefix (ScaleLookups).
# Long (about 20 minutes on 2 cores); run it alone:  flock /tmp/hitotsu-cpu.lock bench/scale.sh
#
#   bench/scale.sh [--citizens 1000000] [--staff 170000] [--duration 15] [--warmup 10] [--no-build]
#                  [--no-logins] [--lookups-only]
#
# --no-logins skips step 2; --lookups-only runs step 3 alone on the data set an earlier run left
# (to compare a change to the lookups without building the million accounts again).
#
# Writes target/bench/scale/results.md. Only 127.0.0.1 is contacted.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
source bench/bench.env

CITIZENS=1000000
STAFF=170000
DURATION=15
WARMUP=10
BUILD=true
LOGINS=true
IMPORT=true
T_FIRST="(not run)"; T_CITIZENS="(not run)"; T_STAFF="(not run)"
while [ $# -gt 0 ]; do
  case "$1" in
    --citizens) CITIZENS=$2; shift 2 ;;
    --staff) STAFF=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --no-build) BUILD=false; shift ;;
    --no-logins) LOGINS=false; shift ;;
    --lookups-only) LOGINS=false; IMPORT=false; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

B=$ROOT/target/bench
S=$B/scale
DATA=$B/hitotsu-data
mkdir -p "$S"
RESULTS=$S/results.md
log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$S/scale.log"; }
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

if $BUILD; then
  log "building the server jar and the load driver"
  mvn -o -q -B -Pbench -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile="$B/cp.txt" -Dmdep.includeScope=test > "$S/build.log" 2>&1 || { tail -40 "$S/build.log"; exit 1; }
fi
JAR=$(ls "$ROOT"/target/hitotsu-*.jar | grep -v original | head -1)
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$B/cp.txt")"

if $IMPORT; then
# Names: 30 % of the people carry one of 20 common family names (1.5 % each, as 佐藤 does in
# Japan), the rest one of 10,000 rarer ones; given names one of 500.
generate() { # FIRST LAST PREFIX DIGITS DOMAIN EMPLOYEE(0/1)
  awk -v first="$1" -v last="$2" -v prefix="$3" -v digits="$4" -v domain="$5" -v employee="$6" 'BEGIN {
    srand(first);
    n = split("佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 清水", common, " ");
    print "username,email,family_name,given_name,display_name,external_id,employee_number";
    for (i = first; i <= last; i++) {
      f = (rand() < 0.3) ? common[int(rand() * n) + 1] : "姓" int(rand() * 10000);
      g = "名" int(rand() * 500);
      u = sprintf("%s%0" digits "d", prefix, i);
      printf "%s,%s@%s,%s,%s,,%s-%d,%s\n", u, u, domain, f, g, prefix, i, (employee ? sprintf("E%06d", i) : "");
    }
  }'
}
log "generating $CITIZENS citizens and $STAFF staff"
generate 1 1000 c 7 example.jp 0 > "$S/citizens-first-1000.csv"
generate 1001 "$CITIZENS" c 7 example.jp 0 > "$S/citizens-rest.csv"
generate 1 "$STAFF" s 6 city.example.jp 1 > "$S/staff.csv"

import() { # FILE
  local started=$(date +%s.%N)
  HITOTSU_KEYS_MASTER_KEY=$BENCH_MASTER_KEY java -jar "$JAR" import-accounts bench "$1" \
    --hitotsu.realms-dir="$ROOT/bench/realms" --hitotsu.data-dir="$DATA" --logging.level.root=warn \
    | tee -a "$S/scale.log"
  echo "$(date +%s.%N) $started" | awk '{ printf "%.1f", $1 - $2 }'
}

log "new data directory $DATA"
rm -rf "$DATA"
T_FIRST=$(import "$S/citizens-first-1000.csv" | tail -1)
log "1,000 citizens imported in ${T_FIRST} s (includes creating the database)"

if $LOGINS; then
  log "login and tokens with 1,000 accounts"
  bench/run.sh --no-build --only hitotsu --scenarios client-credentials,login --duration "$DURATION" --warmup "$WARMUP"
  cp "$B/results.md" "$S/run-1000.md"
fi

T_CITIZENS=$(import "$S/citizens-rest.csv" | tail -1)
log "$((CITIZENS - 1000)) citizens imported in ${T_CITIZENS} s"
T_STAFF=$(import "$S/staff.csv" | tail -1)
log "$STAFF staff imported in ${T_STAFF} s"

if $LOGINS; then
  log "login and tokens with $((CITIZENS + STAFF)) accounts"
  bench/run.sh --no-build --only hitotsu --scenarios client-credentials,login --duration "$DURATION" --warmup "$WARMUP"
  cp "$B/results.md" "$S/run-million.md"
fi
fi
[ -d "$DATA" ] || { echo "no data set in $DATA: run without --lookups-only first" >&2; exit 1; }

# lookups: the bench realm is the admin realm for this run, its web client shows super-admin,
# and one more user holds it (a copy of the realm file; the generated one stays as it is)
mkdir -p "$S/realms"
sed -e 's/^    require-pkce: true$/    require-pkce: true\n    roles: [super-admin]/' "$ROOT/bench/realms/bench.yaml" > "$S/realms/bench.yaml"
cat >> "$S/realms/bench.yaml" <<USERS
  - username: scale-admin
    password: $BENCH_PASSWORD
    roles: [super-admin]
USERS
PORT=$((20000 + RANDOM % 20000))
log "starting the server for the lookups on port $PORT"
HITOTSU_KEYS_MASTER_KEY=$BENCH_MASTER_KEY java -jar "$JAR" --server.address=127.0.0.1 --server.port=$PORT \
  --hitotsu.realms-dir="$S/realms" --hitotsu.data-dir="$DATA" \
  --hitotsu.admin.realm=bench --hitotsu.admin.clients="$BENCH_WEB_CLIENT_ID" > "$S/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 600); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/actuator/health/readiness" && break
  kill -0 "$SERVER_PID" || { tail -30 "$S/server.log"; exit 1; }
  sleep 0.2
done
java -cp "$CP" -Dbench.issuer="http://127.0.0.1:$PORT/realms/bench" -Dbench.base="http://127.0.0.1:$PORT" \
  -Dbench.cc.clientSecret="$BENCH_CC_CLIENT_SECRET" -Dbench.web.clientId="$BENCH_WEB_CLIENT_ID" \
  -Dbench.web.clientSecret="$BENCH_WEB_CLIENT_SECRET" -Dbench.web.redirectUri="$BENCH_REDIRECT_URI" \
  -Dbench.password="$BENCH_PASSWORD" -Dbench.adminUser=scale-admin \
  -Dbench.citizens="$CITIZENS" -Dbench.staff="$STAFF" jp.hitotsu.bench.ScaleLookups > "$S/lookups.md"

{
  echo "# Scale run $(date -u +%Y-%m-%dT%H:%MZ): $CITIZENS citizens + $STAFF staff in realm bench"
  echo
  echo "| import | rows | seconds |"
  echo "| --- | ---: | ---: |"
  echo "| citizens-first-1000.csv (with database creation) | 1000 | $T_FIRST |"
  echo "| citizens-rest.csv | $((CITIZENS - 1000)) | $T_CITIZENS |"
  echo "| staff.csv | $STAFF | $T_STAFF |"
  echo
  echo "## Lookups (one at a time, wall time over loopback)"
  echo
  cat "$S/lookups.md"
  echo
  echo "## Login and tokens, 1,000 accounts"
  echo
  if $LOGINS; then cat "$S/run-1000.md"; else echo "(not run)"; fi
  echo
  echo "## Login and tokens, $((CITIZENS + STAFF)) accounts"
  echo
  if $LOGINS; then cat "$S/run-million.md"; else echo "(not run)"; fi
} > "$RESULTS"
log "wrote $RESULTS"
