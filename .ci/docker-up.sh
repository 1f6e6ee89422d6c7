#!/usr/bin/env bash
# Make sure a Docker engine answers, and that the local curl image exists.
#
#   .ci/docker-up.sh        # messages on stderr; last stdout line: CURL_IMAGE=local/curl:<version>
#
# 1. If `docker info` already works, the engine is left as it is.
#    Otherwise: install docker.io with apt if dockerd is missing, start
#    `dockerd --iptables=false` in the background (log: ${TMPDIR:-/tmp}/dockerd.log,
#    PID: .ci/.dockerd.pid in this repo, used by .ci/docker-down.sh) and wait up
#    to DOCKER_UP_TIMEOUT (60) seconds for `docker info`.
# 2. Build the local curl image with .ci/curl-image.sh unless
#    local/curl:<host curl version> exists with the same fingerprint label
#    (same host files) and local/curl:latest points at it.
#
# Exit 0 on success. Non-zero, with a one-line reason on stderr, when the engine
# cannot be started or the image cannot be built (the caller can then run the
# tests with container tests skipped).
#
# Containers must use host networking (`--network host`, Testcontainers
# `.withNetworkMode("host")`), and Testcontainers needs
# TESTCONTAINERS_RYUK_DISABLED=true and TESTCONTAINERS_HOST_OVERRIDE=localhost.
#
# Environment knobs: DOCKER_UP_TIMEOUT (s, default 60), DOCKERD_LOG,
# DOCKERD_EXTRA_ARGS (extra dockerd flags, word-split), APT_TIMEOUT (s, default 900).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
PID_FILE="$REPO_DIR/.ci/.dockerd.pid"
DOCKERD_LOG=${DOCKERD_LOG:-${TMPDIR:-/tmp}/dockerd.log}
DOCKER_UP_TIMEOUT=${DOCKER_UP_TIMEOUT:-60}
APT_TIMEOUT=${APT_TIMEOUT:-900}
START_TS=$SECONDS

log() { printf 'docker-up: %s\n' "$*" >&2; }
die() { printf 'docker-up: ERROR: %s\n' "$*" >&2; exit 1; }

# Lines the dockerd started by this run wrote (after our header in the log).
session_log() {
  awk '/^==== .* docker-up.sh starting dockerd ====$/ {buf=""; next} {buf = buf $0 "\n"} END {printf "%s", buf}' \
    "$DOCKERD_LOG" 2>/dev/null | tail -n "${1:-10}"
}

# One line saying why dockerd failed: its last error/fatal message, else its last line.
failure_reason() {
  local line
  line=$(session_log 400 | grep -E 'level=(fatal|error|warning)|^failed|Status:' | tail -n 1) || true
  [[ -n "$line" ]] || line=$(session_log 1) || true
  printf '%s' "${line:-no output}" | cut -c1-300
}

engine_answers() { command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1; }

# Alive and not a zombie (an exited process not reaped yet).
alive() {
  [[ "$1" =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null || return 1
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# True when PID is alive and is a dockerd.
is_dockerd() {
  alive "$1" && [[ "$(cat "/proc/$1/comm" 2>/dev/null)" == dockerd ]]
}

# Wait up to DOCKER_UP_TIMEOUT s for `docker info`; fail early if PID dies.
# On failure WAIT_FAILURE holds a one-line reason.
WAIT_FAILURE=""
wait_for_engine() {
  local pid=$1 deadline=$((SECONDS + DOCKER_UP_TIMEOUT))
  while ((SECONDS < deadline)); do
    engine_answers && return 0
    if ! alive "$pid"; then
      log "dockerd (pid $pid) exited; its last lines in $DOCKERD_LOG:"
      session_log 10 >&2 || true
      WAIT_FAILURE="dockerd exited: $(failure_reason)"
      return 1
    fi
    sleep 1
  done
  log "dockerd (pid $pid) did not answer within ${DOCKER_UP_TIMEOUT}s; its last lines in $DOCKERD_LOG:"
  session_log 10 >&2 || true
  WAIT_FAILURE="dockerd did not answer within ${DOCKER_UP_TIMEOUT}s (last error/warning: $(failure_reason))"
  return 1
}

install_docker() {
  log "dockerd not found: installing docker.io with apt-get (quietly)"
  export DEBIAN_FRONTEND=noninteractive
  local apt_opts=(-o DPkg::Lock::Timeout=120 -o Dpkg::Use-Pty=0)
  local apt_log="${TMPDIR:-/tmp}/docker-up-apt.log"
  # Keep the package's init script from starting a daemon of its own during the
  # install (ours is started below with the flags this machine needs).
  local made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  local rc=0
  {
    timeout "$APT_TIMEOUT" apt-get "${apt_opts[@]}" -qq update &&
      timeout "$APT_TIMEOUT" apt-get "${apt_opts[@]}" -qq -y --no-install-recommends install docker.io
  } >"$apt_log" 2>&1 || rc=$?
  if ((made_policy)); then rm -f /usr/sbin/policy-rc.d; fi
  if ((rc != 0)); then
    tail -n 15 "$apt_log" >&2 || true
    die "apt-get install docker.io failed (rc=$rc, log: $apt_log)"
  fi
  command -v dockerd >/dev/null 2>&1 || die "docker.io installed but dockerd is still not on PATH"
  log "installed docker.io $(dpkg-query -W -f='${Version}' docker.io 2>/dev/null || true) in $((SECONDS - START_TS))s"
}

start_engine() {
  # A dockerd we started earlier may still be starting up: wait for it rather
  # than starting a second one.
  if [[ -f "$PID_FILE" ]]; then
    local old
    old=$(cat "$PID_FILE" 2>/dev/null || true)
    if is_dockerd "$old"; then
      log "dockerd from an earlier docker-up (pid $old) is running; waiting for it"
      wait_for_engine "$old" && return 0
      die "the dockerd started earlier (pid $old) does not answer: $WAIT_FAILURE; run .ci/docker-down.sh and retry"
    fi
    rm -f "$PID_FILE"
  fi

  command -v dockerd >/dev/null 2>&1 || install_docker
  command -v docker >/dev/null 2>&1 || die "docker CLI not found after install"

  local -a extra=()
  if [[ -n "${DOCKERD_EXTRA_ARGS:-}" ]]; then read -r -a extra <<<"$DOCKERD_EXTRA_ARGS"; fi
  log "starting dockerd --iptables=false${extra[*]:+ ${extra[*]}} (log: $DOCKERD_LOG)"
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  printf '\n==== %s docker-up.sh starting dockerd ====\n' "$(date -Is)" >>"$DOCKERD_LOG"
  # setsid: its own session, so a Ctrl-C or the end of the caller's shell does
  # not take the daemon down; stdin from /dev/null so it never waits for input;
  # 9>&- so the daemon does not keep holding the docker-up lock.
  setsid dockerd --iptables=false "${extra[@]}" </dev/null >>"$DOCKERD_LOG" 2>&1 9>&- &
  local pid=$!
  echo "$pid" >"$PID_FILE"
  if ! wait_for_engine "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 10); do alive "$pid" || break; sleep 1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$PID_FILE"
    die "Docker engine did not start: $WAIT_FAILURE (log: $DOCKERD_LOG)"
  fi
  # dockerd writes its own pid file; prefer it should setsid have forked.
  local real
  real=$(cat /var/run/docker.pid 2>/dev/null || true)
  if [[ "$real" != "$pid" ]] && is_dockerd "$real"; then
    echo "$real" >"$PID_FILE"
    pid=$real
  fi
  log "Docker engine answers (dockerd pid $pid, server $(docker version -f '{{.Server.Version}}' 2>/dev/null || echo '?')) after $((SECONDS - START_TS))s"
}

# One docker-up at a time on this machine (the engine is machine-wide).
LOCK_FILE="${TMPDIR:-/tmp}/docker-up.lock"
exec 9>"$LOCK_FILE"
if ! flock -w 300 9; then
  die "another docker-up.sh still holds $LOCK_FILE after 300s"
fi

if engine_answers; then
  log "Docker engine already answers; leaving it as it is"
else
  start_engine
fi

# --- the local curl image -----------------------------------------------------
command -v curl >/dev/null 2>&1 || die "curl is not installed on the host: cannot build the curl image"
CURL_VERSION=$(curl --version | awk 'NR==1 {print $2}')
IMAGE="local/curl:${CURL_VERSION}"
want_fp=$("$SCRIPT_DIR/curl-image.sh" --fingerprint) || die "cannot compute the curl image fingerprint"
have_fp=$(docker image inspect -f '{{index .Config.Labels "local.curl.fingerprint"}}' "$IMAGE" 2>/dev/null || true)
img_id=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
latest_id=$(docker image inspect -f '{{.Id}}' local/curl:latest 2>/dev/null || true)

if [[ -n "$img_id" && "$have_fp" == "$want_fp" ]]; then
  if [[ "$latest_id" != "$img_id" ]]; then
    docker tag "$IMAGE" local/curl:latest
    log "re-tagged local/curl:latest -> $IMAGE"
  fi
  log "image $IMAGE is up to date"
else
  if [[ -n "$img_id" ]]; then
    log "image $IMAGE is out of date (host files changed): rebuilding"
  else
    log "image $IMAGE not found: building"
  fi
  "$SCRIPT_DIR/curl-image.sh" "$IMAGE" >/dev/null || die "building the curl image $IMAGE failed"
fi

log "done in $((SECONDS - START_TS))s"
echo "CURL_IMAGE=$IMAGE"
