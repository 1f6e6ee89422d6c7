#!/usr/bin/env bash
# Stop the dockerd that .ci/docker-up.sh started (PID in .ci/.dockerd.pid):
# SIGTERM, wait up to DOCKER_DOWN_TIMEOUT (20) seconds, then SIGKILL.
# Does nothing when docker-up.sh did not start one: a Docker engine that was
# already running before docker-up.sh stays running. Idempotent.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
PID_FILE="$REPO_DIR/.ci/.dockerd.pid"
DOCKER_DOWN_TIMEOUT=${DOCKER_DOWN_TIMEOUT:-20}

log() { printf 'docker-down: %s\n' "$*" >&2; }

# Alive and not a zombie (an exited daemon whose parent has not reaped it yet).
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

if [[ ! -f "$PID_FILE" ]]; then
  log "no $PID_FILE: docker-up.sh started no dockerd here; nothing to stop"
  exit 0
fi

pid=$(cat "$PID_FILE" 2>/dev/null || true)
if ! [[ "$pid" =~ ^[0-9]+$ ]] || ! alive "$pid"; then
  log "dockerd (pid '${pid}') is not running any more; removing the stale pid file"
  rm -f "$PID_FILE"
  exit 0
fi
comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
if [[ "$comm" != dockerd ]]; then
  # The pid was reused by something else: never signal it.
  log "pid $pid is '$comm', not dockerd; removing the stale pid file"
  rm -f "$PID_FILE"
  exit 0
fi

log "stopping dockerd (pid $pid) with SIGTERM"
kill -TERM "$pid" 2>/dev/null || true
deadline=$((SECONDS + DOCKER_DOWN_TIMEOUT))
while alive "$pid" && ((SECONDS < deadline)); do
  sleep 0.5
done
if alive "$pid"; then
  log "dockerd (pid $pid) still running after ${DOCKER_DOWN_TIMEOUT}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 10); do alive "$pid" || break; sleep 0.5; done
  if alive "$pid"; then
    log "ERROR: dockerd (pid $pid) survived SIGKILL"
    exit 1
  fi
fi
rm -f "$PID_FILE"
log "dockerd (pid $pid) stopped"
