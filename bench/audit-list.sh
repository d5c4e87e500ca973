#!/usr/bin/env bash
# The admin API's audit event list against 10 million events (issue 3): fills a throw-away
# embedded PostgreSQL with generate_series and prints p50/p95 of typical filtered pages.
#
#   bench/audit-list.sh [EVENTS]        # default 10000000; takes about 10 minutes on 2 cores
#
# The code is src/test/java/jp/hitotsu/audit/AuditListBenchmark.java (a main, not a test).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/bench
mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench/audit-cp.txt -Dmdep.includeScope=test
exec java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/bench/audit-cp.txt)" \
  jp.hitotsu.audit.AuditListBenchmark "${1:-10000000}"
