#!/usr/bin/env bash
# Measure how long the server image takes from `docker run` to its first served request.
#
# Usage: .ci/image-startup.sh [IMAGE] [RUNS]
#   IMAGE defaults to $HTTP_SERVER_IMAGE, else local/http-server:latest; RUNS to 5.
#
# Each run: `docker run -d --network host IMAGE PORT --bind 127.0.0.1 --directory /srv` with a folder
# holding one small file, then `curl` every 5 ms until the file comes back (as bench/startup.sh
# times the command line); then `docker stop` (the server must exit 0 on SIGTERM) and `docker rm`.
# PORT is $IMAGE_STARTUP_PORT, default 18572, and must be free on 127.0.0.1.
# Prints one line per run, then the median, and the image size. Exit non-zero if a run fails.
# Also prints, for comparison, the median of as many plain JVM starts (`docker run` of
# `java -version`) of the same image, interleaved with the server's runs.
set -euo pipefail

IMAGE=${1:-${HTTP_SERVER_IMAGE:-local/http-server:latest}}
RUNS=${2:-5}
PORT=${IMAGE_STARTUP_PORT:-18572}
log() { printf 'image-startup: %s\n' "$*" >&2; }
die() { printf 'image-startup: ERROR: %s\n' "$*" >&2; exit 1; }

timeout 20 docker info >/dev/null 2>&1 || die "Docker engine does not answer (run .ci/docker-up.sh first)"
docker image inspect "$IMAGE" >/dev/null 2>&1 || die "no image $IMAGE (build it with .ci/image-build.sh)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/image-startup.XXXXXX")
CONTAINER=""
cleanup() {
  if [[ -n "$CONTAINER" ]]; then docker rm -f "$CONTAINER" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
printf 'ok\n' >"$WORK/ok.txt"
chmod -R a+rX "$WORK"

curl -s --max-time 1 "http://127.0.0.1:$PORT/" >/dev/null 2>&1 && die "port $PORT is taken: set IMAGE_STARTUP_PORT"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

ms=()
jvm=()
for i in $(seq 1 "$RUNS"); do
  t0=$(date +%s%N)
  CONTAINER=$(docker run -d --network host -v "$WORK:/srv:ro" "$IMAGE" "$PORT" --bind 127.0.0.1 --directory /srv)
  served=0
  for _ in $(seq 1 2000); do # 10 s at most
    if [[ "$(curl -fsS --max-time 1 "http://127.0.0.1:$PORT/ok.txt" 2>/dev/null)" == ok ]]; then
      served=1
      break
    fi
    sleep 0.005
  done
  t1=$(date +%s%N)
  ((served)) || { docker logs "$CONTAINER" >&2 2>&1 || true; die "run $i: no file served within 10 s"; }
  docker stop -t 20 "$CONTAINER" >/dev/null
  code=$(docker inspect -f '{{.State.ExitCode}}' "$CONTAINER")
  docker rm "$CONTAINER" >/dev/null
  CONTAINER=""
  [[ "$code" == 0 ]] || die "run $i: the server exited $code on SIGTERM"
  ms+=($(((t1 - t0) / 1000000)))
  t0=$(date +%s%N)
  docker run --rm --network host --entrypoint /opt/java/bin/java "$IMAGE" -version >/dev/null 2>&1
  t1=$(date +%s%N)
  jvm+=($(((t1 - t0) / 1000000)))
  echo "run $i: first request served ${ms[-1]} ms after docker run (java -version: ${jvm[-1]} ms)"
done
median_ms=$(printf '%s\n' "${ms[@]}" | median)
median_jvm=$(printf '%s\n' "${jvm[@]}" | median)

size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
echo "median: ${median_ms} ms to the first served request ($RUNS runs); docker run of java -version alone: median ${median_jvm} ms"
echo "image: $IMAGE, $(awk -v s="$size" 'BEGIN {printf "%.1f MB", s/1e6}')"
