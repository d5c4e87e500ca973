#!/usr/bin/env bash
# The 1 April transfer at full size (issue 4): 20,000 staff on a throwaway embedded
# database, a batch moving all of them applied in one transaction, then its reverse batch
# (src/bench/java/jp/hitotsu/bench/TransferBenchmark.java). Prints the time of each step.
#
#   bench/transfers.sh                 20,000 people
#   bench/transfers.sh --people 2000   fewer
#   bench/transfers.sh --no-build      reuse the last build
#
# Builds in the Maven profile `bench` (never part of `mvn verify`). Runs from the project
# directory so the shipped realm files (config/realms) are used.
set -euo pipefail

cd "$(dirname "$0")/.."

people=20000
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --people) people="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown option $1" >&2; exit 2 ;;
  esac
done

mkdir -p target/bench
classpath_file=target/bench/transfer-classpath.txt
if [ "$build" = 1 ]; then
  mvn -o -q -B -Pbench -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test
fi
[ -f "$classpath_file" ] || { echo "Not built; run without --no-build" >&2; exit 2; }

echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -Dpeople="$people" -cp "target/test-classes:target/classes:$(cat "$classpath_file")" \
  jp.hitotsu.bench.TransferBenchmark
