#!/usr/bin/env bash
# CacheLens demo: runs the three example services under the agent, one after the other, against a
# redis-server of its own, then prints what each service's audit found.
#
#   catalog      (Jedis)   writes product:cache:* without a TTL           -> NO_TTL_WRITES
#   ratelimiter  (Jedis)   opens a new connection for every INCR + EXPIRE -> CONNECTION_CHURN
#   orders       (Lettuce) HSET + EXPIRE in a pipeline, then KEYS         -> DANGEROUS_COMMAND
#
#   bash demo.sh [--requests N] [--duration D]    flags every example service takes
#
# Needs a JDK 17+. Installs redis-server with apt-get when it is missing. Never touches a Redis
# server that is already running (such as the one on 6379): it starts its own on a free loopback
# port and stops it on exit, even on failure.
#
# Environment: CACHELENS_REPORT_DIR (default <repo>/cachelens-reports), DEMO_SKIP_BUILD=1 to reuse
# the jars already built.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

AGENT_JAR="$ROOT/javaagent/target/cachelens-agent.jar"
DIGEST_JAR="$ROOT/examples/audit-digest/target/audit-digest.jar"
REPORT_DIR="${CACHELENS_REPORT_DIR:-$ROOT/cachelens-reports}"
# service name (otel.service.name, and the audit's file name) and the example that plays it
SERVICES=(catalog ratelimiter orders)
declare -A EXAMPLE=([catalog]=catalog-service [ratelimiter]=rate-limiter-service [orders]=orders-service)

say() { printf '\n==> %s\n' "$*"; }
die() {
  printf 'demo.sh: %s\n' "$*" >&2
  exit 1
}

# Runs a command as root: directly when we are root, else through sudo when there is one.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

install_redis_if_missing() {
  if command -v redis-server >/dev/null 2>&1; then
    return
  fi
  command -v apt-get >/dev/null 2>&1 || die "redis-server is missing and there is no apt-get to install it"
  say "Installing redis-server with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server
  command -v redis-server >/dev/null 2>&1 || die "redis-server is still missing after apt-get install"
}

# True when something accepts connections on 127.0.0.1:$1.
port_in_use() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ] && return 0
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

random_port() {
  echo $((20000 + ((RANDOM << 15) | RANDOM) % 40001))
}

# True when the server on $1 answers PING with PONG.
redis_pong() {
  local port="$1" reply=""
  if command -v redis-cli >/dev/null 2>&1; then
    reply="$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null || true)"
  else
    # PING by hand (an inline command) over bash's /dev/tcp, for machines without redis-cli.
    reply="$(
      { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || exit 1
      printf 'PING\r\n' >&3
      IFS= read -r -t 2 line <&3 || true
      printf '%s' "${line%$'\r'}"
    )" || true
    reply="${reply#+}"
  fi
  [ "$reply" = "PONG" ]
}

REDIS_PID=""
REDIS_PORT=""
WORK_DIR=""

cleanup() {
  local status=$?
  if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
    kill "$REDIS_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$REDIS_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  if [ -n "$WORK_DIR" ]; then
    rm -rf "$WORK_DIR"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Starts redis-server on a free random loopback port; tries a few ports in case one is taken.
start_redis() {
  WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/cachelens-demo.XXXXXX")"
  local attempt port
  for attempt in 1 2 3 4 5; do
    port="$(random_port)"
    local tries=0
    while port_in_use "$port"; do
      tries=$((tries + 1))
      [ "$tries" -lt 50 ] || die "found no free port between 20000 and 60000"
      port="$(random_port)"
    done
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
      --dir "$WORK_DIR" --logfile "$WORK_DIR/redis.log" &
    REDIS_PID=$!
    for _ in $(seq 1 100); do
      if redis_pong "$port"; then
        REDIS_PORT="$port"
        return
      fi
      kill -0 "$REDIS_PID" 2>/dev/null || break
      sleep 0.1
    done
    # It died (the port was taken after all) or never answered: stop it and try another port.
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
    REDIS_PID=""
    printf 'demo.sh: redis-server on port %s did not come up (attempt %s); log:\n' "$port" "$attempt" >&2
    tail -n 5 "$WORK_DIR/redis.log" >&2 2>/dev/null || true
  done
  die "could not start redis-server"
}

command -v java >/dev/null 2>&1 || die "java is not on the PATH; install a JDK 17 or newer"

install_redis_if_missing

example_jar() {
  echo "$ROOT/examples/$1/target/$1.jar"
}

# Runs one example service under the agent: run_service <service name> [service flags...]
run_service() {
  local service="$1" example="${EXAMPLE[$1]}"
  shift
  say "Running $example under the CacheLens agent as '$service'"
  echo "java -javaagent:javaagent/target/cachelens-agent.jar -Dotel.service.name=$service" \
    "-Dcachelens.report.dir=$REPORT_DIR -jar examples/$example/target/$example.jar" \
    "--port $REDIS_PORT${*:+ $*}"
  java -javaagent:"$AGENT_JAR" \
    -Dotel.service.name="$service" \
    -Dcachelens.report.dir="$REPORT_DIR" \
    -jar "$(example_jar "$example")" --host 127.0.0.1 --port "$REDIS_PORT" "$@"
}

if [ "${DEMO_SKIP_BUILD:-0}" != "1" ]; then
  say "Building the agent and the example services"
  # Maven 3 builds only the aggregator pom for "-pl examples", so the modules are named one by one.
  # shellcheck disable=SC2054 # the commas belong to -pl's module list
  BUILD=(./mvnw -q -B -ntp -DskipTests -am package
    -pl javaagent,examples/catalog-service,examples/rate-limiter-service,examples/orders-service,examples/audit-digest)
  echo "${BUILD[*]}"
  "${BUILD[@]}"
fi
[ -f "$AGENT_JAR" ] || die "the agent jar is missing: $AGENT_JAR"
[ -f "$DIGEST_JAR" ] || die "the audit digest jar is missing: $DIGEST_JAR"
for service in "${SERVICES[@]}"; do
  [ -f "$(example_jar "${EXAMPLE[$service]}")" ] ||
    die "the example service jar is missing: $(example_jar "${EXAMPLE[$service]}")"
done

say "Starting a private redis-server"
start_redis
echo "redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on 127.0.0.1:$REDIS_PORT (pid $REDIS_PID)"

mkdir -p "$REPORT_DIR"
AUDITS=()
for service in "${SERVICES[@]}"; do
  rm -f "$REPORT_DIR/$service".{json,md,html}
  AUDITS+=("$REPORT_DIR/$service.json")
done

for service in "${SERVICES[@]}"; do
  run_service "$service" "$@"
done

if command -v redis-cli >/dev/null 2>&1; then
  echo "keys left in Redis: $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" dbsize)"
fi

for audit in "${AUDITS[@]}"; do
  [ -f "$audit" ] || die "the agent wrote no audit at $audit"
done

say "What CacheLens found, per service"
java -jar "$DIGEST_JAR" "${AUDITS[@]}"

say "Files"
for audit in "${AUDITS[@]}"; do
  echo "audit:    $audit (and ${audit%.json}.md, ${audit%.json}.html)"
done
