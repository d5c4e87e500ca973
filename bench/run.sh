#!/usr/bin/env bash
# Hitotsu's load harness: the same OpenID Connect scenarios against Hitotsu and Keycloak
# 26.5.6, alternating the two servers scenario by scenario (one server runs at a time),
# with Gatling as the load tool. See bench/README.md.
#
#   bench/run.sh [--duration 60] [--warmup 90] [--users 8] [--rate 0]
#                [--only hitotsu|keycloak] [--scenarios client-credentials,login,...]
#                [--jdk 17|25|JAVA_HOME] [--alg RS256|ES256] [--keycloak-alg RS256|ES256]
#                [--keycloak-revoke-refresh] [--aot] [--no-build] [--fresh]
#                [--instances N]   (N Hitotsu instances on one PostgreSQL started before them,
#                                   round-robin; above 1 only with --only hitotsu. With 1, the
#                                   side-by-side start-to-ready compares like with like: each
#                                   server's database is already running, as in production)
#
# Writes target/bench/results.md (and everything of the run under target/bench/runs/).
# Only 127.0.0.1 is ever contacted, apart from Maven Central for the downloads.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
source bench/bench.env

ALL_SCENARIOS="client-credentials,login,refresh,introspection,userinfo,jwks,discovery"
DURATION=60
WARMUP=90
USERS=8
RATE=0
ONLY=""
SCENARIOS=$ALL_SCENARIOS
JDK=17
ALG=RS256
# Keycloak signs with the same algorithm as Hitotsu unless told otherwise: the targets compare
# like with like, except client credentials ES256, which is against Keycloak's default RS256
KC_ALG=""
# Keycloak's default lets a refresh token be used again and again; Hitotsu rotates them (a
# replayed one revokes its grant). --keycloak-revoke-refresh turns rotation on in Keycloak too
KC_REVOKE_REFRESH=false
BUILD=true
FRESH=false
AOT=false
# 0: one Hitotsu on its embedded PostgreSQL; N: N instances on one PostgreSQL of their own
INSTANCES=0

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    --jdk) JDK=$2; shift 2 ;;
    --alg) ALG=$(echo "$2" | tr '[:lower:]' '[:upper:]'); shift 2 ;;
    --keycloak-alg) KC_ALG=$(echo "$2" | tr '[:lower:]' '[:upper:]'); shift 2 ;;
    --keycloak-revoke-refresh) KC_REVOKE_REFRESH=true; shift ;;
    --no-build) BUILD=false; shift ;;
    --aot) AOT=true; shift ;;
    --fresh) FRESH=true; shift ;;
    --instances) INSTANCES=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option $1" >&2; usage 2 ;;
  esac
done

case "$ONLY" in
  "") SERVERS="hitotsu keycloak" ;;
  hitotsu|keycloak) SERVERS=$ONLY ;;
  *) echo "--only takes hitotsu or keycloak" >&2; exit 2 ;;
esac
for s in ${SCENARIOS//,/ }; do
  case ",$ALL_SCENARIOS," in *",$s,"*) ;; *) echo "unknown scenario $s (one of $ALL_SCENARIOS)" >&2; exit 2 ;; esac
done
case "$ALG" in RS256|ES256) ;; *) echo "--alg takes RS256 or ES256" >&2; exit 2 ;; esac
KC_ALG=${KC_ALG:-$ALG}
case "$KC_ALG" in RS256|ES256) ;; *) echo "--keycloak-alg takes RS256 or ES256" >&2; exit 2 ;; esac
case "$INSTANCES" in
  0) ;;
  1) ;;
  [2-5]) [ "$ONLY" = hitotsu ] || { echo "--instances above 1 needs --only hitotsu" >&2; exit 2; } ;;
  *) echo "--instances takes 1 to 5" >&2; exit 2 ;;
esac

JDK25=/usr/lib/jvm/temurin-25-jdk-amd64
case "$JDK" in
  17) HITOTSU_JAVA=$(command -v java) ;;
  25) HITOTSU_JAVA=$JDK25/bin/java ;;
  /*) HITOTSU_JAVA=$JDK/bin/java ;;
  *) echo "--jdk takes 17, 25 or a JAVA_HOME" >&2; exit 2 ;;
esac
[ -x "$HITOTSU_JAVA" ] || { echo "no java at $HITOTSU_JAVA" >&2; exit 2; }
if $AOT && ! "$HITOTSU_JAVA" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q AOTCacheOutput; then
  echo "--aot needs a JDK with AOT caches (25 or newer): --jdk 25" >&2; exit 2
fi
KEYCLOAK_JAVA_HOME=$JDK25
KEYCLOAK_VERSION=26.5.6

B=$ROOT/target/bench
RUN=$B/runs/$(date +%Y%m%d-%H%M%S)
mkdir -p "$RUN"
CLK_TCK=$(getconf CLK_TCK)

log() { echo "[bench $(date +%H:%M:%S)] $*" | tee -a "$RUN/run.log"; }

# ---------------------------------------------------------------- processes and cleanup

HITOTSU_PIDS=()
HITOTSU_PG_PID=""
KC_SH_PID=""
KC_PID=""
PG_LAUNCHER_PID=""
LAUNCHED_PG_PID=""
GATLING_PID=""

# waits for a process to end; SIGKILL after the timeout
await_exit() {
  local pid=$1 timeout=$2 i
  for ((i = 0; i < timeout * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "pid $pid did not stop within ${timeout}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

# a postmaster left on a data directory (its JVM was killed): stop it, if it is that postgres
stop_orphan_postmaster() {
  local datadir=$1 pid
  [ -f "$datadir/postmaster.pid" ] || return 0
  pid=$(head -1 "$datadir/postmaster.pid")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$datadir"; then
    log "stopping PostgreSQL $pid left on $datadir"
    kill -TERM "$pid" 2>/dev/null || true
    await_exit "$pid" 30
  fi
}

stop_hitotsu() {
  local pid
  for pid in "${HITOTSU_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${HITOTSU_PIDS[@]}"; do
    await_exit "$pid" 60
    wait "$pid" 2>/dev/null || true
  done
  HITOTSU_PIDS=()
  stop_orphan_postmaster "$B/hitotsu-data/internet/postgres"
  stop_postgres "$HITOTSU_PG_PID" "$B/hitotsu-pg"
  HITOTSU_PG_PID=""
}

# stops a PostgresLauncher we started (SIGTERM: its hook stops PostgreSQL), then any postmaster left
stop_postgres() {
  local pid=$1 datadir=$2
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    await_exit "$pid" 30
    wait "$pid" 2>/dev/null || true
  fi
  stop_orphan_postmaster "$datadir"
}

stop_keycloak() {
  if [ -n "$KC_SH_PID" ]; then
    # kc.sh forwards SIGTERM to its JVM and waits for it
    kill -TERM "$KC_SH_PID" 2>/dev/null || true
    [ -n "$KC_PID" ] && await_exit "$KC_PID" 60
    await_exit "$KC_SH_PID" 10
    wait "$KC_SH_PID" 2>/dev/null || true
    KC_SH_PID=""
    KC_PID=""
  fi
  stop_postgres "$PG_LAUNCHER_PID" "$B/keycloak-pg"
  PG_LAUNCHER_PID=""
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$GATLING_PID" ]; then
    kill -TERM "$GATLING_PID" 2>/dev/null || true
    await_exit "$GATLING_PID" 10
  fi
  stop_hitotsu
  stop_keycloak
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 20000))
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}

now() { date +%s.%N; }
elapsed() { echo "$(now) $1" | awk '{ printf "%.2f", $1 - $2 }'; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# waits until URL answers 2xx while PID lives; prints nothing, fails with the log's tail
await_ready() {
  local url=$1 pid=$2 logfile=$3 timeout=$4 i
  for ((i = 0; i < timeout * 10; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "the server exited before it was ready; end of $logfile:"
      tail -40 "$logfile" | tee -a "$RUN/run.log"
      return 1
    fi
    curl -sf -o /dev/null --max-time 2 "$url" && return 0
    sleep 0.1
  done
  log "not ready after ${timeout}s: $url; end of $logfile:"
  tail -40 "$logfile" | tee -a "$RUN/run.log"
  return 1
}

# ---------------------------------------------------------------- build and downloads

if $FRESH; then
  log "--fresh: removing the bench data directories"
  rm -rf "$B/hitotsu-data" "$B/hitotsu-pg" "$B/keycloak-pg"
fi

if $BUILD || [ ! -f "$B/cp.txt" ]; then
  log "building the server jar and the load driver (mvn -Pbench -DskipTests package)"
  mvn -q -Pbench -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile="$B/cp.txt" -Dmdep.includeScope=test > "$RUN/build.log" 2>&1 \
    || { tail -40 "$RUN/build.log"; exit 1; }
fi
JAR=$(ls "$ROOT"/target/hitotsu-*.jar | grep -v original | head -1)
RUN_JAR=$JAR
AOT_OPTS=""
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$B/cp.txt")"

KC_HOME=$B/keycloak-$KEYCLOAK_VERSION
if [[ " $SERVERS " == *" keycloak "* ]]; then
  if [ ! -x "$KC_HOME/bin/kc.sh" ]; then
    log "downloading Keycloak $KEYCLOAK_VERSION from Maven Central"
    mkdir -p "$B/dl"
    mvn -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact=org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip -DoutputDirectory="$B/dl"
    unzip -q -o "$B/dl/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip" -d "$B"
  fi
  KC_BUILD_OPTS="--db=postgres --health-enabled=true"
  if [ "$(cat "$KC_HOME/.bench-build" 2>/dev/null)" != "$KC_BUILD_OPTS" ]; then
    log "kc.sh build $KC_BUILD_OPTS"
    JAVA_HOME=$KEYCLOAK_JAVA_HOME "$KC_HOME/bin/kc.sh" build $KC_BUILD_OPTS > "$RUN/keycloak-build.log" 2>&1 \
      || { tail -40 "$RUN/keycloak-build.log"; exit 1; }
    echo "$KC_BUILD_OPTS" > "$KC_HOME/.bench-build"
  fi
fi

# the realm file for this signing algorithm
if [ "$ALG" = RS256 ]; then
  REALMS_DIR=$ROOT/bench/realms
else
  REALMS_DIR=$B/realms-$ALG
  mkdir -p "$REALMS_DIR"
  sed "s/^  signing-algorithm: RS256$/  signing-algorithm: $ALG/" bench/realms/bench.yaml > "$REALMS_DIR/bench.yaml"
  grep -q "signing-algorithm: $ALG" "$REALMS_DIR/bench.yaml"
fi

java_version() { "$1" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }'; }
HITOTSU_LABEL="Hitotsu $(git describe --always --dirty 2>/dev/null || echo "?") (Java $(java_version "$HITOTSU_JAVA"), $ALG)"
KEYCLOAK_LABEL="Keycloak $KEYCLOAK_VERSION (Java $(java_version "$KEYCLOAK_JAVA_HOME/bin/java"), $KC_ALG$($KC_REVOKE_REFRESH && echo ", refresh tokens rotate" || true))"

# ---------------------------------------------------------------- the servers

# starts a PostgreSQL (the same launcher as Keycloak's) and waits for it; prints its port
start_postgres() {
  local datadir=$1 database=$2 logfile=$3 i
  rm -f "$datadir.port"
  stop_orphan_postmaster "$datadir"
  java -cp "$CP" -Dlogback.configurationFile="$ROOT/bench/logback-gatling.xml" jp.hitotsu.bench.PostgresLauncher \
    "$datadir" "$database" "$datadir.port" > "$logfile" 2>&1 &
  LAUNCHED_PG_PID=$!
  for ((i = 0; i < 600; i++)); do
    [ -f "$datadir.port" ] && break
    kill -0 "$LAUNCHED_PG_PID" 2>/dev/null || { tail -20 "$logfile" >&2; return 1; }
    sleep 0.1
  done
  cat "$datadir.port"
}

# --instances N: N instances on one PostgreSQL, started together, as replicas behind a load
# balancer; sets ISSUER and SERVER_PID to comma-separated lists (the load driver goes
# round-robin over them), READY_S is until the last is ready, IDLE_RSS_KB the first's
start_hitotsu_instances() {
  local pgport port logfile t0 k ports=() issuers=() pids=()
  start_postgres "$B/hitotsu-pg" hitotsu "$RUN/hitotsu-postgres-$1.log" > "$RUN/hitotsu-pg.port"
  HITOTSU_PG_PID=$LAUNCHED_PG_PID
  pgport=$(cat "$RUN/hitotsu-pg.port")
  t0=$(now)
  for ((k = 1; k <= INSTANCES; k++)); do
    port=$(free_port)
    logfile=$RUN/hitotsu-$1-$k.log
    # shellcheck disable=SC2086
    HITOTSU_KEYS_MASTER_KEY=$BENCH_MASTER_KEY "$HITOTSU_JAVA" ${HITOTSU_JAVA_OPTS:-} $AOT_OPTS -jar "$RUN_JAR" \
      --server.port="$port" --server.address=127.0.0.1 \
      --spring.datasource.url="jdbc:postgresql://127.0.0.1:$pgport/hitotsu" \
      --spring.datasource.username=postgres --spring.datasource.password=postgres \
      --hitotsu.realms-dir="$REALMS_DIR" --hitotsu.data-dir="$B/hitotsu-data-instances" > "$logfile" 2>&1 &
    HITOTSU_PIDS+=($!)
    ports+=("$port")
  done
  for ((k = 0; k < INSTANCES; k++)); do
    await_ready "http://127.0.0.1:${ports[k]}/actuator/health/readiness" "${HITOTSU_PIDS[k]}" \
      "$RUN/hitotsu-$1-$((k + 1)).log" 240
    issuers+=("http://127.0.0.1:${ports[k]}/realms/bench")
    pids+=("${HITOTSU_PIDS[k]}")
  done
  READY_S=$(elapsed "$t0")
  IDLE_RSS_KB=$(rss_kb "${HITOTSU_PIDS[0]}")
  SERVER_PID=$(IFS=,; echo "${pids[*]}")
  PG_DATA=$B/hitotsu-pg
  ISSUER=$(IFS=,; echo "${issuers[*]}")
  log "Hitotsu, $INSTANCES instance(s), ready in ${READY_S}s on ports ${ports[*]} (pids ${pids[*]}), PostgreSQL on $pgport"
}

# sets ISSUER SERVER_PID PG_DATA READY_S IDLE_RSS_KB
start_hitotsu() {
  local port logfile t0
  if [ "$INSTANCES" != 0 ]; then
    start_hitotsu_instances "$1"
    return
  fi
  port=$(free_port)
  logfile=$RUN/hitotsu-$1.log
  t0=$(now)
  # shellcheck disable=SC2086
  HITOTSU_KEYS_MASTER_KEY=$BENCH_MASTER_KEY "$HITOTSU_JAVA" ${HITOTSU_JAVA_OPTS:-} $AOT_OPTS -jar "$RUN_JAR" \
    --server.port="$port" --server.address=127.0.0.1 \
    --hitotsu.realms-dir="$REALMS_DIR" --hitotsu.data-dir="$B/hitotsu-data" > "$logfile" 2>&1 &
  HITOTSU_PID=$!
  HITOTSU_PIDS=("$HITOTSU_PID")
  await_ready "http://127.0.0.1:$port/actuator/health/readiness" "$HITOTSU_PID" "$logfile" 240
  READY_S=$(elapsed "$t0")
  IDLE_RSS_KB=$(rss_kb "$HITOTSU_PID")
  SERVER_PID=$HITOTSU_PID
  PG_DATA=$B/hitotsu-data/internet/postgres
  ISSUER=http://127.0.0.1:$port/realms/bench
  log "Hitotsu ready in ${READY_S}s on port $port (pid $HITOTSU_PID, RSS $((IDLE_RSS_KB / 1024)) MB)"
}

kcadm() {
  JAVA_HOME=$KEYCLOAK_JAVA_HOME "$KC_HOME/bin/kcadm.sh" "$@" --config "$B/kcadm.config"
}

# creates the bench realm once (a new database), and checks its password hashing
setup_keycloak_realm() {
  local port=$1 scope client user
  if ! kcadm config credentials --server "http://127.0.0.1:$port" --realm master \
    --user admin --password "$KC_ADMIN_PASSWORD" > "$RUN/kcadm-login.log" 2>&1; then
    cat "$RUN/kcadm-login.log"
    log "cannot log in to Keycloak's admin API: its database in $B/keycloak-pg was made with another" \
      "admin password; start again with --fresh"
    return 1
  fi
  if ! kcadm get realms/bench --fields realm > /dev/null 2>&1; then
    log "creating the bench realm in Keycloak (bench/keycloak/bench-realm.json)"
    kcadm create realms -f "$ROOT/bench/keycloak/bench-realm.json" > /dev/null
    scope=$(kcadm create client-scopes -r bench -s name="$BENCH_CC_SCOPE" -s protocol=openid-connect \
      -s 'attributes."include.in.token.scope"=true' -s 'attributes."display.on.consent.screen"=false' -i)
    client=$(kcadm get clients -r bench -q clientId="$BENCH_CC_CLIENT_ID" --fields id --format csv --noquotes)
    kcadm update "clients/$client/optional-client-scopes/$scope" -r bench
  fi
  set_keycloak_algorithm "$KC_ALG"
  user=$(kcadm get users -r bench -q username="${BENCH_USER_PREFIX}1" -q exact=true --fields id --format csv --noquotes)
  KC_PASSWORD_POLICY=$(kcadm get realms/bench --fields passwordPolicy --format csv --noquotes)
  KC_HASH=$(kcadm get "users/$user/credentials" -r bench --fields credentialData --format csv --noquotes)
  log "Keycloak bench realm: password policy '${KC_PASSWORD_POLICY}' (empty: the default), stored hash $KC_HASH"
  echo "$KC_HASH" > "$B/keycloak-hash.txt"
}

# The realm's access and ID tokens are signed with ALG (its default signature algorithm, which
# every client follows); ES256 needs an EC P-256 key, which a new realm does not have. Set on
# every run: the database keeps the previous run's choice. (Without it Keycloak would sign with
# a "fallback-ES256" key it makes on its own and logs about.) The EC key stays once added, so
# Keycloak's JWKS lists it on RS256 runs too (one key more than on a database never run on ES256).
set_keycloak_algorithm() {
  local alg=$1 realm_id providers
  # the admin API filters components by type, not by provider: pick the EC one out of the keys
  providers=$(kcadm get components -r bench -q type=org.keycloak.keys.KeyProvider --fields providerId \
    --format csv --noquotes)
  if [ "$alg" = ES256 ] && ! grep -qx ecdsa-generated <<< "$providers"; then
    realm_id=$(kcadm get realms/bench --fields id --format csv --noquotes)
    kcadm create components -r bench -s name=ecdsa-generated -s providerId=ecdsa-generated \
      -s providerType=org.keycloak.keys.KeyProvider -s parentId="$realm_id" \
      -s 'config.priority=["100"]' -s 'config.ecdsaEllipticCurveKey=["P-256"]' > /dev/null
  fi
  kcadm update realms/bench -s defaultSignatureAlgorithm="$alg" -s revokeRefreshToken="$KC_REVOKE_REFRESH" \
    -s refreshTokenMaxReuse=0
  log "Keycloak bench realm signs with $alg; refresh tokens rotate: $KC_REVOKE_REFRESH"
}

KC_ADMIN_PASSWORD=bench-admin-password
KC_REALM_CHECKED=""

start_keycloak() {
  local port mport logfile t0 pgport i
  logfile=$RUN/keycloak-$1.log
  start_postgres "$B/keycloak-pg" keycloak "$RUN/keycloak-postgres-$1.log" > "$RUN/keycloak-pg.port"
  PG_LAUNCHER_PID=$LAUNCHED_PG_PID
  pgport=$(cat "$RUN/keycloak-pg.port")
  port=$(free_port)
  mport=$(free_port)
  t0=$(now)
  JAVA_HOME=$KEYCLOAK_JAVA_HOME KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=$KC_ADMIN_PASSWORD \
    "$KC_HOME/bin/kc.sh" start --optimized \
    --db-url="jdbc:postgresql://127.0.0.1:$pgport/keycloak" --db-username=postgres --db-password=postgres \
    --hostname-strict=false --http-enabled=true --http-host=127.0.0.1 --http-port="$port" \
    --http-management-port="$mport" --cache=local > "$logfile" 2>&1 &
  KC_SH_PID=$!
  await_ready "http://127.0.0.1:$mport/health/ready" "$KC_SH_PID" "$logfile" 240
  READY_S=$(elapsed "$t0")
  KC_PID=$(ps -o pid= --ppid "$KC_SH_PID" | head -1 | tr -d ' ')
  [ -n "$KC_PID" ] || { log "no Keycloak JVM under kc.sh ($KC_SH_PID)"; return 1; }
  IDLE_RSS_KB=$(rss_kb "$KC_PID")
  SERVER_PID=$KC_PID
  PG_DATA=$B/keycloak-pg
  ISSUER=http://127.0.0.1:$port/realms/bench
  log "Keycloak ready in ${READY_S}s on port $port (pid $KC_PID, RSS $((IDLE_RSS_KB / 1024)) MB)"
  if [ -z "$KC_REALM_CHECKED" ]; then
    setup_keycloak_realm "$port"
    KC_REALM_CHECKED=yes
  fi
}

# ---------------------------------------------------------------- one measurement

run_gatling() {
  local server=$1 scenario=$2 label=$3 alg=$4 dir=$RUN/gatling/$server-$scenario status=0
  mkdir -p "$dir"
  log "$server / $scenario: warm-up ${WARMUP}s, measured ${DURATION}s, $USERS users$([ "$RATE" != 0 ] && echo ", at most $RATE/s")"
  java -Xms512m -Xmx1g --add-opens=java.base/java.lang=ALL-UNNAMED -cp "$CP" \
    -Dgatling.data.enableAnalytics=false -Dgatling.http.warmUpUrl= \
    -Dlogback.configurationFile="$ROOT/bench/logback-gatling.xml" \
    -Dbench.failureLog="$RUN/failures-$server-$scenario.log" \
    -Dbench.issuer="$ISSUER" -Dbench.scenario="$scenario" -Dbench.alg="$alg" \
    -Dbench.warmUp="$WARMUP" -Dbench.duration="$DURATION" -Dbench.users="$USERS" -Dbench.rate="$RATE" \
    -Dbench.cc.clientId="$BENCH_CC_CLIENT_ID" -Dbench.cc.clientSecret="$BENCH_CC_CLIENT_SECRET" \
    -Dbench.cc.scope="$BENCH_CC_SCOPE" \
    -Dbench.web.clientId="$BENCH_WEB_CLIENT_ID" -Dbench.web.clientSecret="$BENCH_WEB_CLIENT_SECRET" \
    -Dbench.web.redirectUri="$BENCH_REDIRECT_URI" \
    -Dbench.userPrefix="$BENCH_USER_PREFIX" -Dbench.userCount="$BENCH_USER_COUNT" -Dbench.password="$BENCH_PASSWORD" \
    -Dbench.serverPid="$SERVER_PID" -Dbench.pgDataDir="$PG_DATA" -Dbench.clockTicks="$CLK_TCK" \
    -Dbench.probeOut="$dir/probe.json" \
    io.gatling.app.Gatling --simulation jp.hitotsu.bench.OidcSimulation --results-folder "$dir" \
    --run-description "$label, $scenario" > "$dir/gatling.log" 2>&1 &
  GATLING_PID=$!
  wait "$GATLING_PID" || status=$?
  GATLING_PID=""
  [ -s "$RUN/failures-$server-$scenario.log" ] || rm -f "$RUN/failures-$server-$scenario.log"
  java -cp "$CP" jp.hitotsu.bench.BenchReport row "$(ls -d "$dir"/oidcsimulation-* 2>/dev/null | tail -1)" \
    "$dir/probe.json" "$server" "$label" "$scenario" "$READY_S" "$IDLE_RSS_KB" "$RUN/results.tsv" \
    | sed 's/^bench result: //' | tee -a "$RUN/run.log"
  if [ "$status" != 0 ]; then
    log "$server / $scenario: Gatling exited with $status (errors, or the run failed): see $dir/gatling.log" \
      "and $RUN/failures-$server-$scenario.log"
    grep -E 'Exception|crashed|failed' "$dir/gatling.log" | head -5 | tee -a "$RUN/run.log" || true
  fi
}

measure() {
  local server=$1 scenario=$2
  if [ "$server" = hitotsu ]; then
    start_hitotsu "$scenario"
    run_gatling hitotsu "$scenario" "$HITOTSU_LABEL" "$ALG"
    stop_hitotsu
  else
    start_keycloak "$scenario"
    run_gatling keycloak "$scenario" "$KEYCLOAK_LABEL" "$KC_ALG"
    stop_keycloak
  fi
}

# ---------------------------------------------------------------- the run

log "run $RUN: servers [$SERVERS], scenarios [$SCENARIOS], warm-up ${WARMUP}s + ${DURATION}s, $USERS users," \
  "Hitotsu on $(java_version "$HITOTSU_JAVA") with $ALG, Keycloak with $KC_ALG"

# First start on new data (initdb, schema, realm, 50 password hashes): done once, outside
# the figures, so every measured start is a restart on existing data.
if [ "$INSTANCES" != 0 ]; then
  HITOTSU_LABEL="$HITOTSU_LABEL, $INSTANCES instance(s) on one PostgreSQL"
fi
if [[ " $SERVERS " == *" hitotsu "* ]] && { { [ "$INSTANCES" = 0 ] && [ ! -d "$B/hitotsu-data" ]; } \
  || { [ "$INSTANCES" != 0 ] && [ ! -d "$B/hitotsu-pg" ]; }; }; then
  log "first start of Hitotsu on a new data directory (not measured)"
  start_hitotsu first-start
  stop_hitotsu
fi
if [[ " $SERVERS " == *" keycloak "* ]] && [ ! -d "$B/keycloak-pg" ]; then
  log "first start of Keycloak on a new database, creating the bench realm (not measured)"
  start_keycloak first-start
  stop_keycloak
fi

# --aot (Java 25): the jar extracted as Spring Boot recommends, and a JDK AOT cache (JEP 483/514:
# classes loaded and linked, method profiles) recorded by one training start that stops after
# the application context is refreshed; every measured start then uses it. Made again after
# every build.
if $AOT && [[ " $SERVERS " == *" hitotsu "* ]]; then
  AOT_DIR=$B/aot
  JAR_SUM=$(sha1sum "$JAR" | cut -d' ' -f1)
  # a cache belongs to one jar, extracted at this path: anything else makes the JVM refuse it
  if [ ! -f "$AOT_DIR/app.aot" ] || [ "$(cat "$AOT_DIR/jar.sha1" 2>/dev/null)" != "$JAR_SUM" ]; then
    log "--aot: extracting the jar and recording the AOT cache (one training start, not measured)"
    rm -rf "$AOT_DIR" && mkdir -p "$AOT_DIR"
    "$HITOTSU_JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$AOT_DIR/app" > "$RUN/aot-extract.log" 2>&1
    # shellcheck disable=SC2086
    HITOTSU_KEYS_MASTER_KEY=$BENCH_MASTER_KEY "$HITOTSU_JAVA" ${HITOTSU_JAVA_OPTS:-} \
      -XX:AOTCacheOutput="$AOT_DIR/app.aot" -Dspring.context.exit=onRefresh \
      -jar "$AOT_DIR/app/$(basename "$JAR")" --server.port=0 --server.address=127.0.0.1 \
      --hitotsu.realms-dir="$REALMS_DIR" --hitotsu.data-dir="$B/hitotsu-data" > "$RUN/aot-training.log" 2>&1 \
      || { tail -20 "$RUN/aot-training.log"; exit 1; }
    echo "$JAR_SUM" > "$AOT_DIR/jar.sha1"
  fi
  RUN_JAR=$AOT_DIR/app/$(basename "$JAR")
  AOT_OPTS="-XX:AOTCache=$AOT_DIR/app.aot"
  HITOTSU_LABEL="$HITOTSU_LABEL, AOT cache"
fi

i=0
for scenario in ${SCENARIOS//,/ }; do
  # alternate which server goes first, so neither always runs on a machine the other just warmed
  if [ $((i % 2)) = 0 ]; then order=$SERVERS; else order=$(echo "$SERVERS" | awk '{ for (j = NF; j > 0; j--) printf "%s ", $j }'); fi
  for server in $order; do
    measure "$server" "$scenario"
  done
  i=$((i + 1))
done

{
  echo "# Bench run $(basename "$RUN")"
  echo
  echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"), loopback only; the load tool (Gatling, Java $(java_version java)) runs on the same cores."
  echo "Command: \`bench/run.sh$([ "$INSTANCES" != 0 ] && echo " --instances $INSTANCES") --duration $DURATION --warmup $WARMUP --users $USERS$([ "$RATE" != 0 ] && echo " --rate $RATE") --jdk $JDK --alg $ALG$([ "$KC_ALG" != "$ALG" ] && echo " --keycloak-alg $KC_ALG")$($KC_REVOKE_REFRESH && echo " --keycloak-revoke-refresh")$($AOT && echo " --aot")$([ -n "$ONLY" ] && echo " --only $ONLY") --scenarios $SCENARIOS\`"
  echo "Each scenario: a fresh server start, ${WARMUP} s warm-up, then ${DURATION} s measured with $USERS virtual users; one server at a time."
  [ -f "$B/keycloak-hash.txt" ] && echo "Keycloak password hashing (bench-user-1's stored credential): \`$(cat "$B/keycloak-hash.txt")\`; Hitotsu: Argon2id 5 iterations, 7168 KiB, 1 lane (its defaults)."
  echo
  java -cp "$CP" jp.hitotsu.bench.BenchReport table "$RUN/results.tsv" "$RUN/table.md"
  cat "$RUN/table.md"
} > "$RUN/results.md"
cp "$RUN/results.md" "$B/results.md"
log "results: $B/results.md (run files in $RUN)"
cat "$B/results.md"
