#!/usr/bin/env bash
# JMH micro-benchmarks of the floor of each hot path (src/jmh/java): one Argon2id hash at
# the realm's parameters, one RS256 / ES256 signature, one token verification, one
# client-secret check. Builds them in the Maven profile `bench` (never part of `mvn verify`)
# and runs them on the chosen JDK.
#
#   bench/jmh.sh                      all benchmarks on $JAVA_HOME (or the `java` on PATH)
#   bench/jmh.sh --jdk 25             run on /usr/lib/jvm/temurin-25-jdk-amd64
#   bench/jmh.sh --jdk /path/to/jdk   run on that JDK
#   bench/jmh.sh Signing -i 10        JMH arguments: a benchmark regex, options (jmh -h)
#   bench/jmh.sh --no-build ...       reuse the last build
#
# Defaults, each replaced when given: -f 1 -t 1 -wi 3 -w 3s -i 5 -r 3s (one fork, one
# thread, 3 warm-up and 5 measured iterations of 3 s). Units are set per benchmark: Argon2
# in ms/op, the rest in µs/op. The classes are compiled for release 17, so one build runs
# on Java 17 and 25. Output goes to the console and to target/jmh/ (a log and JMH's JSON).
# Other load on the machine skews the figures: run it on a quiet machine, and note it.
set -euo pipefail

cd "$(dirname "$0")/.."

run_java_home="${JAVA_HOME:-}"
build=1
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk)
      [ $# -ge 2 ] || { echo "--jdk needs 17, 25 or a JDK directory" >&2; exit 2; }
      case "$2" in
        17) run_java_home=/usr/lib/jvm/java-17-openjdk-amd64 ;;
        25) run_java_home=/usr/lib/jvm/temurin-25-jdk-amd64 ;;
        *) run_java_home="$2" ;;
      esac
      shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done

if [ -n "$run_java_home" ]; then
  java="$run_java_home/bin/java"
else
  java="$(command -v java)"
fi
[ -x "$java" ] || { echo "No java at $java" >&2; exit 2; }

mkdir -p target/jmh
classpath_file=target/jmh/classpath.txt
if [ "$build" = 1 ]; then
  mvn -q -B -Pbench -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test
fi
[ -f target/test-classes/META-INF/BenchmarkList ] && [ -f "$classpath_file" ] \
  || { echo "No benchmarks built; run without --no-build" >&2; exit 2; }

# a default applies unless the same option is among the arguments
given() {
  local option="$1" arg
  for arg in ${args[@]+"${args[@]}"}; do
    [ "$arg" = "$option" ] && return 0
  done
  return 1
}
defaults=()
for pair in "-f 1" "-t 1" "-wi 3" "-w 3s" "-i 5" "-r 3s"; do
  read -r option value <<<"$pair"
  given "$option" || defaults+=("$option" "$value")
done

version="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.version = //p')"
stamp="$(date +%Y%m%d-%H%M%S)"
result="target/jmh/jmh-java${version}-${stamp}"
if ! given -rf && ! given -rff; then
  defaults+=(-rf json -rff "$result.json")
fi

echo "JMH on $java ($version), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$result.log"
"$java" -cp "target/test-classes:target/classes:$(cat "$classpath_file")" org.openjdk.jmh.Main \
  "${defaults[@]}" ${args[@]+"${args[@]}"} 2>&1 | tee -a "$result.log"
exit "${PIPESTATUS[0]}"
