#!/usr/bin/env bash
# CacheLens memory-bound harness: builds what it needs, then runs the driver.
#
#   benchmarks/memory.sh                     10M keys, 100k prefixes, 2,000 open connections; A, B, C
#   benchmarks/memory.sh --keys 2000000      a shorter run (checkpoints every keys/10)
#   benchmarks/memory.sh --configs A,B       without the prefix.limit=65536 run
#   benchmarks/memory.sh --client lettuce    Lettuce async pipelines instead of Jedis
#   benchmarks/memory.sh --no-build ...      use what is already in */target
#   benchmarks/memory.sh --help              every driver option
#
# The Markdown report goes to stdout and benchmarks/target/memory.md; progress goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

build=yes
args=()
while (($#)); do
  case "$1" in
    --no-build) build=no ;;
    -h | --help)
      build=no
      args+=("$1")
      ;;
    *) args+=("$1") ;;
  esac
  shift
done

if [[ -n "${JAVA_HOME:-}" ]]; then
  java="$JAVA_HOME/bin/java"
else
  java="$(command -v java)"
fi

cd "$root"
if [[ "$build" == yes ]]; then
  echo "building benchmarks and the CacheLens agent ..." >&2
  ./mvnw -q -B -DskipTests package -pl benchmarks,javaagent -am
fi

# The driver checks each audit with Gson (strict) and, with analysis-core on its class path, with
# the project's own AuditJsonReader too.
exec "$java" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -cp "$here/target/classes:$here/target/lib/*:$root/analysis-core/target/classes" \
  io.cachelens.benchmarks.MemoryBenchmark --repo "$root" ${args[@]+"${args[@]}"}
