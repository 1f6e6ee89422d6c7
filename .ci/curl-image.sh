#!/usr/bin/env bash
# Build a tiny local Docker image that holds the host's own curl (and its wget
# and aria2c, when the host has them), so that the container-based integration
# tests can run the real tools without pulling any image from a registry (none
# is reachable here).
#
# Usage: .ci/curl-image.sh [IMAGE]
#   IMAGE defaults to local/curl:<host curl version> (e.g. local/curl:7.88.1).
#   When IMAGE is that default, local/curl:latest is tagged too.
#        .ci/curl-image.sh --fingerprint
#   Only prints the fingerprint of what would be packed (sha256 over the host
#   files and this recipe); docker-up.sh compares it with the image's label
#   local.curl.fingerprint to know whether a rebuild is needed.
#
# The image is made with `docker import` from a folder holding:
#   /usr/bin/curl, /usr/bin/sleep, /usr/bin/dash (+ /usr/bin/sh -> dash),
#   /usr/bin/wget and /usr/bin/aria2c when the host has them (the scenarios
#   that need them are skipped, with the reason, in an image without them),
#   every library ldd lists for them and the dynamic loader (same paths as on
#   the host, with Debian's merged-/usr symlinks /bin /lib /lib64 /sbin),
#   a minimal /etc (hosts, nsswitch.conf, passwd, group, CA bundle), /tmp.
# Default command: `sleep infinity`, so a container started without a command
# stays up and `docker exec <id> curl ...` / Testcontainers' execInContainer work.
#
# Prints the image name on stdout's last line as CURL_IMAGE=<image>.
# Idempotent: rebuilding gives an equivalent image and simply moves the tags.
set -euo pipefail

log() { printf 'curl-image: %s\n' "$*" >&2; }
die() { printf 'curl-image: ERROR: %s\n' "$*" >&2; exit 1; }

# Bump when the recipe below changes, so existing images get rebuilt.
RECIPE_VERSION=2

command -v curl >/dev/null 2>&1 || die "curl not found on the host"
command -v ldd  >/dev/null 2>&1 || die "ldd not found on the host"

CURL_BIN=$(readlink -f "$(command -v curl)")
CURL_VERSION=$(curl --version | awk 'NR==1 {print $2}')
[[ -n "$CURL_VERSION" ]] || die "cannot read the host curl version"

# Binaries to ship. sleep keeps a container alive; sh (dash) lets tests or
# people run a small shell command inside the container if they need one.
BINARIES=("$CURL_BIN")
for b in sleep dash; do
  p=$(command -v "$b" 2>/dev/null || true)
  [[ -n "$p" ]] || die "'$b' not found on the host"
  BINARIES+=("$(readlink -f "$p")")
done
# Other download tools, packed the same way when the host has them.
EXTRA_TOOLS=()
for b in wget aria2c; do
  p=$(command -v "$b" 2>/dev/null || true)
  if [[ -n "$p" ]]; then
    BINARIES+=("$(readlink -f "$p")")
    EXTRA_TOOLS+=("$b")
  else
    log "note: '$b' not found on the host; the image will not have it"
  fi
done

# Every library ldd lists for the binaries (and the dynamic loader), unique.
# ldd lines: "libx.so.N => /path (0x..)", "/lib64/ld-linux-x86-64.so.2 (0x..)",
# "linux-vdso.so.1 (0x..)" (virtual, skipped).
mapfile -t LIBS < <(for bin in "${BINARIES[@]}"; do
  ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'
done | LC_ALL=C sort -u)
[[ ${#LIBS[@]} -gt 0 ]] || die "ldd listed no library for ${BINARIES[*]}"

CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt

fingerprint() {
  {
    echo "recipe=$RECIPE_VERSION curl=$CURL_VERSION"
    for f in "${BINARIES[@]}" "${LIBS[@]}"; do
      printf '%s %s\n' "$f" "$(sha256sum <"$(readlink -f "$f")" | awk '{print $1}')"
    done
    if [[ -e "$CA_BUNDLE" ]]; then sha256sum <"$CA_BUNDLE" | awk '{print "ca " $1}'; fi
  } | sha256sum | awk '{print $1}'
}
FINGERPRINT=$(fingerprint)

if [[ "${1:-}" == "--fingerprint" ]]; then
  echo "$FINGERPRINT"
  exit 0
fi

command -v docker >/dev/null 2>&1 || die "docker CLI not found"
timeout 20 docker info >/dev/null 2>&1 || die "Docker engine does not answer (run .ci/docker-up.sh first)"
IMAGE=${1:-local/curl:${CURL_VERSION}}

ROOT=$(mktemp -d "${TMPDIR:-/tmp}/curl-image.XXXXXX")
cleanup() { rm -rf "$ROOT"; }
trap cleanup EXIT

# Debian 12 has merged /usr: keep the same layout in the image so the library
# paths ldd prints (/lib/x86_64-linux-gnu/..., /lib64/ld-linux-...) resolve.
mkdir -p "$ROOT"/usr/{bin,sbin,lib,lib64} "$ROOT"/{etc/ssl/certs,tmp,root,proc,sys,dev,run}
chmod 1777 "$ROOT/tmp"
for d in bin lib lib64 sbin; do
  if [[ -L "/$d" ]]; then
    ln -sfn "$(readlink "/$d")" "$ROOT/$d"
  else
    mkdir -p "$ROOT/$d"
  fi
done

# Copy path P into the image: the real file at its real path, plus a symlink at
# P's canonical-directory/basename when that name differs (e.g. libfoo.so.1 ->
# libfoo.so.1.2.3), so the loader finds the soname.
copy_path() {
  local p=$1 real dir link
  real=$(readlink -f "$p") || return 1
  [[ -f "$real" ]] || die "not a file: $p"
  mkdir -p "$ROOT$(dirname "$real")"
  cp -p "$real" "$ROOT$real"
  dir=$(readlink -f "$(dirname "$p")")
  link="$dir/$(basename "$p")"
  if [[ "$link" != "$real" && ! -e "$ROOT$link" ]]; then
    mkdir -p "$ROOT$dir"
    ln -s "$real" "$ROOT$link"
  fi
}

for f in "${BINARIES[@]}" "${LIBS[@]}"; do
  copy_path "$f"
done
ln -sfn dash "$ROOT/usr/bin/sh"

# Minimal /etc. With --network host Docker bind-mounts the host's /etc/hosts
# and /etc/resolv.conf over these; they matter for other network modes.
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"
printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\nprotocols: files\nservices: files\n' >"$ROOT/etc/nsswitch.conf"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$ROOT/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOT/etc/group"
: >"$ROOT/etc/resolv.conf"
if [[ -e "$CA_BUNDLE" ]]; then
  cp -L "$CA_BUNDLE" "$ROOT$CA_BUNDLE"
else
  log "note: $CA_BUNDLE not on the host; the image has no CA bundle"
fi

log "building $IMAGE from host curl $CURL_VERSION ($(du -sh "$ROOT" | awk '{print $1}') rootfs)"
IMAGE_ID=$(tar --numeric-owner --owner=0 --group=0 -C "$ROOT" -c . | timeout 300 docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["sleep", "infinity"]' \
  --change "LABEL org.opencontainers.image.title=local-curl" \
  --change "LABEL org.opencontainers.image.version=${CURL_VERSION}" \
  --change "LABEL local.curl.fingerprint=${FINGERPRINT}" \
  --message "host curl ${CURL_VERSION} packed by .ci/curl-image.sh" \
  - "$IMAGE") || die "docker import failed"

if [[ "$IMAGE" == "local/curl:${CURL_VERSION}" ]]; then
  docker tag "$IMAGE" local/curl:latest
  log "tagged local/curl:latest"
fi
# Drop earlier builds of this recipe that no tag points to any more.
docker image prune -f --filter "label=org.opencontainers.image.title=local-curl" >/dev/null 2>&1 || true

# Smoke test: the image must run curl.
if ! out=$(timeout 60 docker run --rm --network host "$IMAGE" curl --version 2>&1); then
  die "image $IMAGE built but 'curl --version' fails in it: $(printf '%s' "$out" | head -n 3 | tr '\n' ' ')"
fi
for b in "${EXTRA_TOOLS[@]}"; do
  if ! tool_out=$(timeout 60 docker run --rm --network host "$IMAGE" "$b" --version 2>&1); then
    die "image $IMAGE built but '$b --version' fails in it: $(printf '%s' "$tool_out" | head -n 3 | tr '\n' ' ')"
  fi
  log "$b in the image: $(printf '%s\n' "$tool_out" | head -n 1)"
done
log "built $IMAGE ($IMAGE_ID): $(printf '%s\n' "$out" | head -n 1)"
echo "CURL_IMAGE=$IMAGE"
