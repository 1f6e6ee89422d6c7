#!/usr/bin/env bash
# Start time: from launching a server to its first answer, the median of RUNS launches each, for
#   - the command line as the README runs it (bin/http-server),
#   - python3 -m http.server (CPython's, the reference), measured in the same run, interleaved.
# Each launch serves a folder holding ok.txt on a fixed loopback port; curl asks for it every 5 ms
# (at most 10 s) until it comes back; then the server is stopped (SIGTERM) before the next launch.
# Usage: bench/startup.sh [RUNS]   (default 10). Prints each time in ms, then the medians and ratio.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${1:-10}
PORT=${STARTUP_PORT:-18571}
work=$(mktemp -d "${TMPDIR:-/tmp}/startup.XXXXXX")
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
printf 'ok\n' >"$work/ok.txt"
# the runnable jar must exist before the first timing (bin/http-server builds it when missing)
"$root/bin/http-server" --version >/dev/null

# time_one NAME COMMAND...: milliseconds from launch to the first "ok"
time_one() {
  local name=$1 t0 t1 i
  shift
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 &
  pid=$!
  for i in $(seq 1 2000); do
    if [ "$(curl -s --max-time 1 "http://127.0.0.1:$PORT/ok.txt" 2>/dev/null)" = ok ]; then
      t1=$(date +%s%N)
      kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; pid=""
      echo $(( (t1 - t0) / 1000000 ))
      return 0
    fi
    sleep 0.005
  done
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; pid=""
  echo "startup: $name did not answer within 10 s" >&2
  return 1
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

ours=()
python=()
for r in $(seq 1 "$RUNS"); do
  ours+=("$(time_one bin "$root/bin/http-server" "$PORT" --bind 127.0.0.1 --directory "$work")")
  if command -v python3 >/dev/null; then
    python+=("$(time_one python3 python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$work")")
  fi
done
m_ours=$(printf '%s\n' "${ours[@]}" | median)
echo "bin/http-server:        ${ours[*]} ms; median $m_ours ms"
if [ "${#python[@]}" -gt 0 ]; then
  m_py=$(printf '%s\n' "${python[@]}" | median)
  echo "python3 -m http.server: ${python[*]} ms; median $m_py ms"
  awk -v a="$m_ours" -v b="$m_py" 'BEGIN {printf "ratio (ours / CPython): %.2f\n", a / b}'
fi
