#!/usr/bin/env bash
# CacheLens overhead benchmark: builds what it needs, then runs the driver.
#
#   benchmarks/run.sh --quick            smoke run (2 rounds, 10k ops), all four configurations
#   benchmarks/run.sh                    5 rounds at the peer-baseline counts
#   benchmarks/run.sh --full             10 rounds (what the published numbers use)
#   benchmarks/run.sh --configs A,D      without CacheLens (the agent is then not built)
#   benchmarks/run.sh --no-build ...     use what is already in */target
#   benchmarks/run.sh --help             every driver option
#
# The Markdown report goes to stdout and benchmarks/target/overhead.md; progress goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

build=yes
build_agent=yes
args=()
while (($#)); do
  case "$1" in
    --no-build)
      build=no
      ;;
    --configs)
      if (($# < 2)); then
        echo "--configs needs a value, e.g. A,B,C,D" >&2
        exit 64
      fi
      # B and C need the CacheLens agent; A and D do not.
      if [[ "${2^^}" != *B* && "${2^^}" != *C* ]]; then
        build_agent=no
      fi
      args+=("$1" "$2")
      shift
      ;;
    -h | --help)
      build=no
      args+=("$1")
      ;;
    *)
      args+=("$1")
      ;;
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
  echo "building benchmarks (workload classpath, OpenTelemetry agent) ..." >&2
  ./mvnw -q -B -DskipTests package -pl benchmarks -am
  if [[ "$build_agent" == yes ]]; then
    echo "building the CacheLens agent ..." >&2
    ./mvnw -q -B -DskipTests package -pl javaagent -am
  fi
fi

# A small, quiet driver JVM: it only launches the workload processes and waits for them.
exec "$java" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -cp "$here/target/classes:$here/target/lib/*" \
  io.cachelens.benchmarks.OverheadBenchmark --repo "$root" ${args[@]+"${args[@]}"}
