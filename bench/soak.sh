#!/usr/bin/env bash
# bench/soak.sh -- the server under attack: 10,000 idle keep-alive connections and 500 slowloris
# connections held open while wrk measures the 1 KiB file, beside the same wrk run without them.
# Prints both throughputs and the server's heap (jcmd GC.heap_info) and peak RSS (VmHWM).
# Everything listens on and connects to 127.0.0.1; every process started is stopped by PID.
#
# Environment: JAR (the CLI jar), IDLE (10000), SLOW (500), DURATION (wrk seconds, 20),
# JAVA_OPTS (-Xmx256m, after bin/jvm.options), IDLE_TIMEOUT (seconds the server keeps an idle connection, 120 here so that
# the idle connections stay for the whole run).
set -uo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
JAR=${JAR:-$ROOT/http-server-cli/target/http-server-cli-0.1.0-SNAPSHOT-all.jar}
IDLE=${IDLE:-10000}
SLOW=${SLOW:-500}
DURATION=${DURATION:-20}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}
IDLE_TIMEOUT=${IDLE_TIMEOUT:-120}
OUT=$BENCH_DIR/out/soak
mkdir -p "$OUT/www"
head -c 1024 /dev/urandom > "$OUT/www/1k.bin"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ -f "$JAR" ] || (cd "$ROOT" && ./mvnw -q -B -DskipTests package -pl http-server-cli -am)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT INT TERM

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# the JVM options bin/http-server starts with, then JAVA_OPTS
jvm=()
while IFS= read -r line; do [[ -z $line || $line == \#* ]] || jvm+=("$line"); done < "$ROOT/bin/jvm.options"
# shellcheck disable=SC2086
java "${jvm[@]}" $JAVA_OPTS -jar "$JAR" "$port" --bind 127.0.0.1 --directory "$OUT/www" \
  --idle-timeout "$IDLE_TIMEOUT" --header-timeout 30 > "$OUT/server.out" 2> "$OUT/server.err" &
server=$!
pids+=("$server")
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/1k.bin" && break; sleep 0.2; done

measure() { wrk -t2 -c64 -d"${DURATION}s" "http://127.0.0.1:$port/1k.bin" | awk '/Requests\/sec/ {print $2}'; }
wrk -t2 -c64 -d5s "http://127.0.0.1:$port/1k.bin" > /dev/null   # warm-up
quiet=$(measure)
echo "without attackers: $quiet req/s"

python3 "$BENCH_DIR/soak.py" "$port" "$IDLE" "$SLOW" "$((DURATION + 40))" > "$OUT/attack.log" 2>&1 &
attack=$!
pids+=("$attack")
sleep 30   # let the attackers connect
grep soak: "$OUT/attack.log" | tail -n 1
attacked=$(measure)
echo "with $IDLE idle + $SLOW slowloris connections: $attacked req/s"
echo "connections open on the server: $(ss -tn state established "( sport = :$port )" | tail -n +2 | wc -l)"
jcmd "$server" GC.heap_info 2>/dev/null | head -n 3
echo "server peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$server/status)"
wait "$attack" 2>/dev/null
tail -n 1 "$OUT/attack.log"
python3 - "$quiet" "$attacked" <<'PY'
import sys
q, a = float(sys.argv[1] or 0), float(sys.argv[2] or 0)
print(f"ratio under attack / quiet: {a / q:.2f}" if q else "no baseline")
PY
