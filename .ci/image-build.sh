#!/usr/bin/env bash
# Build the server's container image on this machine, without any registry: a jlink'ed Java
# runtime, the CLI's runnable jar and the few host files they need, packed with `docker import`.
#
# Usage: .ci/image-build.sh                # messages on stderr; last stdout line: HTTP_SERVER_IMAGE=<image>
#        .ci/image-build.sh --fingerprint  # only prints what the image would be built from (a sha256)
#
# Result: local/http-server:<project version> and local/http-server:latest, which behave like
# `python -m http.server`:
#
#   docker run --rm --network host local/http-server:latest                 # port 8000, serves /srv
#   docker run --rm --network host -v "$PWD:/srv:ro" local/http-server 8080 --bind 127.0.0.1
#
# ENTRYPOINT ["/opt/java/bin/java", (bin/jvm.options), "-XX:SharedArchiveFile=...", ..., "-jar", "/opt/http-server/http-server-cli.jar"]
# CMD ["8000", "--directory", "/srv"]; WORKDIR /srv. Arguments after the image replace the CMD, so
# `docker run IMAGE 8000 -d /srv` is `python -m http.server 8000 -d /srv`. JAVA_TOOL_OPTIONS tunes the JVM.
#
# What the image holds (same paths as on the host, with Debian's merged-/usr links):
#   /opt/java                the runtime from jlink: the modules `jdeps` finds in the jar, plus
#                            jdk.crypto.ec (TLS with EC keys) and jdk.unsupported (sun.misc.Signal),
#                            with the JDK's class-data-sharing archive and one for the server's own
#                            classes (made by starting the server once in the image: faster start).
#   /opt/http-server/http-server-cli.jar   the runnable jar (http-server-cli-<version>-all.jar)
#   every library `ldd` lists for the runtime's programs and .so files, and the dynamic loader
#   /usr/lib/locale/C.utf8 (with LANG=C.UTF-8 the JVM reads file names as UTF-8)
#   /usr/bin/dash as /bin/sh, /usr/bin/env, /usr/bin/setpriv and /usr/bin/setsid (CGI: shell
#   scripts, scripts run as nobody when the server runs as root, as it does by default, each in a
#   process group of its own)
#   /tmp (1777; Netty unpacks its epoll library there), /srv, /root, and a minimal /etc (passwd,
#   group, hosts, nsswitch.conf).
#
# Inputs (environment):
#   HTTP_SERVER_JAR   the runnable jar to pack; default: http-server-cli/target/http-server-cli-*-all.jar,
#                     built with ./mvnw when missing
#   JAVA17_HOME       the JDK whose jlink/jdeps/jmods make the runtime (default: the Debian JDK 17;
#                     openjdk-17-jdk-headless is installed with apt when it is missing and we are root)
#   IMAGE_NAME        default local/http-server
#
# Idempotent: an image with the same fingerprint label (same jar, JDK, host libraries and recipe)
# is kept and only re-tagged.
set -euo pipefail

log() { printf 'image-build: %s\n' "$*" >&2; }
die() { printf 'image-build: ERROR: %s\n' "$*" >&2; exit 1; }

# Bump when the recipe below changes, so that existing images are rebuilt.
RECIPE_VERSION=6

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
IMAGE_NAME=${IMAGE_NAME:-local/http-server}
JAVA17_HOME=${JAVA17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
EXTRA_MODULES=jdk.crypto.ec,jdk.unsupported
START_TS=$SECONDS

# --- the JDK that makes the runtime ------------------------------------------------------------
if [[ ! -x "$JAVA17_HOME/bin/jlink" || ! -f "$JAVA17_HOME/jmods/java.base.jmod" ]]; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "no jlink/jmods in $JAVA17_HOME: installing openjdk-17-jdk-headless"
    { timeout 900 apt-get -o DPkg::Lock::Timeout=120 -qq update &&
      DEBIAN_FRONTEND=noninteractive timeout 900 apt-get -o DPkg::Lock::Timeout=120 -qq -y --no-install-recommends \
        install openjdk-17-jdk-headless; } >&2 || die "apt-get install openjdk-17-jdk-headless failed"
  fi
  [[ -x "$JAVA17_HOME/bin/jlink" && -f "$JAVA17_HOME/jmods/java.base.jmod" ]] \
    || die "$JAVA17_HOME has no jlink and jmods: set JAVA17_HOME to a JDK 17"
fi
JDK_VERSION=$("$JAVA17_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ {print $2}')

# --- the jar --------------------------------------------------------------------------------------
find_jar() { ls "$REPO_DIR"/http-server-cli/target/http-server-cli-*-all.jar 2>/dev/null | head -n 1; }
JAR=${HTTP_SERVER_JAR:-$(find_jar || true)}
if [[ -z "$JAR" ]]; then
  log "no runnable jar yet: building it (./mvnw package -pl http-server-cli -am, tests skipped)"
  (cd "$REPO_DIR" && ./mvnw -q -B package -DskipTests -pl http-server-cli -am) >&2 || die "building the CLI jar failed"
  JAR=$(find_jar || true)
fi
[[ -f "$JAR" ]] || die "runnable jar not found: ${JAR:-http-server-cli/target/http-server-cli-*-all.jar}"
VERSION=$(basename "$JAR" | sed -n 's/^http-server-cli-\(.*\)-all\.jar$/\1/p')
[[ -n "$VERSION" ]] || VERSION=$(unzip -p "$JAR" META-INF/MANIFEST.MF 2>/dev/null | tr -d '\r' \
  | sed -n 's/^Implementation-Version: //p' | head -n 1)
[[ -n "$VERSION" ]] || die "cannot tell the version of $JAR"
IMAGE="$IMAGE_NAME:$VERSION"

# --- host libraries the runtime links (known before jlink: the JDK's own files are the same) ------
# For CGI: /bin/sh (dash) runs shell scripts; setpriv runs scripts as nobody when the server is root
# (without it the server refuses to run them as root); env finds an interpreter on PATH as nobody;
# setsid starts each script as the leader of its own process group, so a kill reaches all it started.
SHELL_BIN=$(readlink -f "$(command -v dash)") || die "dash not found on the host (CGI needs a /bin/sh)"
TOOLS=("$SHELL_BIN")
for t in env setpriv setsid; do
  p=$(command -v "$t" 2>/dev/null || true)
  [[ -n "$p" ]] || die "'$t' not found on the host (CGI needs it in the image)"
  TOOLS+=("$(readlink -f "$p")")
done
mapfile -t LIBS < <({
  ldd "$JAVA17_HOME/bin/java"
  for t in "${TOOLS[@]}"; do ldd "$t"; done
  find "$JAVA17_HOME/lib" -name '*.so' -exec ldd {} \; 2>/dev/null
} | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | grep -v "^$JAVA17_HOME/" | LC_ALL=C sort -u)
[[ ${#LIBS[@]} -gt 0 ]] || die "ldd listed no library for $JAVA17_HOME/bin/java"

fingerprint() {
  {
    echo "recipe=$RECIPE_VERSION jdk=$JDK_VERSION modules+=$EXTRA_MODULES version=$VERSION"
    sha256sum <"$JAR" | awk '{print "jar " $1}'
    sha256sum <"$REPO_DIR/bin/jvm.options" | awk '{print "jvm.options " $1}'
    for f in "${TOOLS[@]}" "${LIBS[@]}"; do
      printf '%s %s\n' "$f" "$(sha256sum <"$(readlink -f "$f")" | awk '{print $1}')"
    done
  } | sha256sum | awk '{print $1}'
}
FINGERPRINT=$(fingerprint)
if [[ "${1:-}" == "--fingerprint" ]]; then
  echo "$FINGERPRINT"
  exit 0
fi

command -v docker >/dev/null 2>&1 || die "docker CLI not found"
timeout 20 docker info >/dev/null 2>&1 || die "Docker engine does not answer (run .ci/docker-up.sh first)"

have_fp=$(docker image inspect -f '{{index .Config.Labels "local.http-server.fingerprint"}}' "$IMAGE" 2>/dev/null || true)
if [[ "$have_fp" == "$FINGERPRINT" ]]; then
  docker tag "$IMAGE" "$IMAGE_NAME:latest"
  log "image $IMAGE is up to date ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.1f MB", $1/1e6}'))"
  echo "HTTP_SERVER_IMAGE=$IMAGE"
  exit 0
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/http-server-image.XXXXXX")
CONTAINER=""
cleanup() {
  if [[ -n "$CONTAINER" ]]; then docker rm -f "$CONTAINER" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
ROOT="$WORK/rootfs"

# --- the runtime --------------------------------------------------------------------------------
MODULES=$("$JAVA17_HOME/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 "$JAR") \
  || die "jdeps failed on $JAR"
MODULES=$(printf '%s,%s' "$MODULES" "$EXTRA_MODULES" | tr ',' '\n' | LC_ALL=C sort -u | paste -sd, -)
log "jlink of $JAVA17_HOME ($JDK_VERSION) with modules $MODULES"
mkdir -p "$ROOT/opt"
"$JAVA17_HOME/bin/jlink" --add-modules "$MODULES" --output "$ROOT/opt/java" \
  --strip-debug --no-man-pages --no-header-files --compress=2 --generate-cds-archive >&2 \
  || die "jlink failed"
# The archive for heaps above 32 GiB is not worth its 10 MB here; the JVM runs without CDS then.
rm -f "$ROOT/opt/java/lib/server/classes_nocoops.jsa"
# Debian ships its .so files with their symbol tables; the runtime does not need them.
if command -v strip >/dev/null 2>&1; then
  find "$ROOT/opt/java" -name '*.so' -exec strip --strip-unneeded {} \; 2>/dev/null || true
  strip --strip-unneeded "$ROOT/opt/java/bin/java" 2>/dev/null || true
fi
mkdir -p "$ROOT/opt/http-server"
cp "$JAR" "$ROOT/opt/http-server/http-server-cli.jar"
chmod 0644 "$ROOT/opt/http-server/http-server-cli.jar"

# --- host files -----------------------------------------------------------------------------------
mkdir -p "$ROOT"/usr/{bin,sbin,lib,lib64} "$ROOT"/{etc,tmp,root,srv,proc,sys,dev,run}
chmod 1777 "$ROOT/tmp"
for d in bin lib lib64 sbin; do
  if [[ -L "/$d" ]]; then ln -sfn "$(readlink "/$d")" "$ROOT/$d"; else mkdir -p "$ROOT/$d"; fi
done
# The real file at its real path, plus a link where the name ldd printed differs (the soname).
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
for f in "${TOOLS[@]}" "${LIBS[@]}"; do copy_path "$f"; done
# Anything the jlink'ed files link that the JDK's did not (should be nothing): fail loudly.
missing=$(for f in "$ROOT/opt/java/bin/java" $(find "$ROOT/opt/java/lib" -name '*.so'); do ldd "$f"; done \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | grep -v "^$ROOT/" | LC_ALL=C sort -u \
  | while read -r lib; do [[ -e "$ROOT$lib" || -e "$ROOT$(readlink -f "$lib")" ]] || echo "$lib"; done)
[[ -z "$missing" ]] || die "libraries linked by the runtime but not packed: $missing"
ln -sfn "$(basename "$SHELL_BIN")" "$ROOT/usr/bin/sh"

# The C.UTF-8 locale: with LANG=C.UTF-8 the JVM then takes file names as UTF-8 (sun.jnu.encoding);
# without it, a file named in UTF-8 cannot even be listed.
if [[ -d /usr/lib/locale/C.utf8 ]]; then
  mkdir -p "$ROOT/usr/lib/locale"
  cp -a /usr/lib/locale/C.utf8 "$ROOT/usr/lib/locale/"
else
  log "warning: /usr/lib/locale/C.utf8 not on the host: the image will not serve non-ASCII file names"
fi
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"
printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\nprotocols: files\nservices: files\n' \
  >"$ROOT/etc/nsswitch.conf"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$ROOT/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOT/etc/group"
: >"$ROOT/etc/resolv.conf"

LABELS=(
  --change "LABEL org.opencontainers.image.title=http-server"
  --change "LABEL org.opencontainers.image.description=\"python -m http.server on the JVM, on Netty\""
  --change "LABEL org.opencontainers.image.version=$VERSION"
  --change "LABEL local.http-server.jdk=$JDK_VERSION"
)
ENVS=(
  --change 'ENV PATH=/opt/java/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  --change 'ENV JAVA_HOME=/opt/java'
  # UTF-8 file names: the JVM takes sun.jnu.encoding from the locale (glibc has C.UTF-8 built in).
  --change 'ENV LANG=C.UTF-8'
)
tar_root() { tar --numeric-owner --owner=0 --group=0 -C "$ROOT" -c .; }

# --- a class-data-sharing archive of the server's own classes ------------------------------------
# Made in containers of a first import (the archive must be made at the paths it is used at): a
# training run lists the classes, a static dump archives them; then packed into the final image: the
# classes load mapped, not parsed (from docker run to the first file: medians of 0.38 to 0.45 s with
# it, of which docker run of java -version alone takes 0.15 to 0.17 s here; .ci/image-startup.sh).
log "importing the base image ($(du -sh "$ROOT" | awk '{print $1}') rootfs)"
BASE_ID=$(tar_root | timeout 300 docker import "${ENVS[@]}" --change 'WORKDIR /srv' - ) || die "docker import failed"
APPCDS=/opt/http-server/app.jsa
# the training run takes the options of bin/jvm.options, as the entry point will
mapfile -t TRAIN_OPTIONS < <(grep -v '^#' "$REPO_DIR/bin/jvm.options" | grep -v '^$')
# 1. a training run (dev.httpserver.cli.Training: a file, a listing, a HEAD, a redirect, a 404) lists
#    the classes it loads; 2. a static dump archives them with the JDK's own (picocli's Java 5 class
#    files too, which a dynamic archive leaves out). Both at the paths the image runs from.
run_in_base() { # NAME COMMAND...: runs COMMAND in a container of the base image, waits, keeps it as NAME
  local name=$1
  shift
  CONTAINER=$(docker create --network host "$BASE_ID" "$@") || return 1
  eval "$name=\$CONTAINER"
}
CLASSLIST=/tmp/http-server.classlist
ok=0
if run_in_base TRAIN /opt/java/bin/java "${TRAIN_OPTIONS[@]}" -XX:DumpLoadedClassList=$CLASSLIST \
     -cp /opt/http-server/http-server-cli.jar dev.httpserver.cli.Training; then
  docker start "$TRAIN" >/dev/null
  if [[ "$(timeout 120 docker wait "$TRAIN")" == 0 ]] && docker cp "$TRAIN:$CLASSLIST" "$WORK/classlist" 2>/dev/null; then
    docker rm -f "$TRAIN" >/dev/null 2>&1 || true
    if run_in_base DUMP /opt/java/bin/java -Xshare:dump -Xlog:cds=off -Xlog:cds+dynamic=off \
         -XX:SharedClassListFile=$CLASSLIST -XX:SharedArchiveFile=$APPCDS -cp /opt/http-server/http-server-cli.jar; then
      docker cp "$WORK/classlist" "$DUMP:$CLASSLIST"
      docker start "$DUMP" >/dev/null
      if [[ "$(timeout 300 docker wait "$DUMP")" == 0 ]] && docker cp "$DUMP:$APPCDS" "$ROOT$APPCDS" 2>/dev/null \
           && [[ -s "$ROOT$APPCDS" ]]; then
        ok=1
      fi
      docker rm -f "$DUMP" >/dev/null 2>&1 || true
    fi
  else
    docker rm -f "$TRAIN" >/dev/null 2>&1 || true
  fi
fi
CONTAINER=""
if [[ $ok == 1 ]]; then
  chmod 0444 "$ROOT$APPCDS"
  log "made the class-data archive of the server's classes ($(du -h "$ROOT$APPCDS" | awk '{print $1}'))"
else
  rm -f "$ROOT$APPCDS"
  log "warning: no class-data archive (the image works without it, only starts slower)"
fi
docker rmi "$BASE_ID" >/dev/null 2>&1 || true

# the options of bin/jvm.options, as JSON strings
JVM_OPTIONS=$(grep -v '^#' "$REPO_DIR/bin/jvm.options" | grep -v '^$' | sed 's/.*/"&", /' | tr -d '\n')
ENTRYPOINT='["/opt/java/bin/java", '"$JVM_OPTIONS"'"-jar", "/opt/http-server/http-server-cli.jar"]'
if [[ -f "$ROOT$APPCDS" ]]; then
  # -Xshare:auto (the default) ignores an archive that does not match, with a warning.
  ENTRYPOINT='["/opt/java/bin/java", '"$JVM_OPTIONS"'"-XX:SharedArchiveFile='"$APPCDS"'", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", "/opt/http-server/http-server-cli.jar"]'
fi

log "importing $IMAGE"
IMAGE_ID=$(tar_root | timeout 300 docker import "${ENVS[@]}" "${LABELS[@]}" \
  --change "LABEL local.http-server.fingerprint=$FINGERPRINT" \
  --change 'WORKDIR /srv' \
  --change 'EXPOSE 8000' \
  --change "ENTRYPOINT $ENTRYPOINT" \
  --change 'CMD ["8000", "--directory", "/srv"]' \
  --message "http-server $VERSION packed by .ci/image-build.sh" \
  - "$IMAGE") || die "docker import failed"
docker tag "$IMAGE" "$IMAGE_NAME:latest"
# Drop earlier builds that no tag points to any more.
docker image prune -f --filter "label=org.opencontainers.image.title=http-server" >/dev/null 2>&1 || true

# --- smoke test: serve a folder on a free port of the loopback, fetch a file, compare ------------
mkdir -p "$WORK/www"
printf 'hello from the http-server image\n' >"$WORK/www/hello.txt"
chmod -R a+rX "$WORK/www"
t0=$(date +%s%N)
CONTAINER=$(docker run -d --network host -v "$WORK/www:/srv:ro" "$IMAGE" 0 --bind 127.0.0.1 --directory /srv) \
  || die "docker run $IMAGE failed"
port=""
got=""
for _ in $(seq 1 300); do
  if [[ -z "$port" ]]; then
    port=$(docker logs "$CONTAINER" 2>/dev/null | sed -n 's/^Serving HTTP on .* port \([0-9]*\) .*/\1/p' | head -n 1)
  fi
  if [[ -n "$port" ]] && got=$(curl -fsS --max-time 2 "http://127.0.0.1:$port/hello.txt" 2>/dev/null); then
    break
  fi
  sleep 0.02
done
t1=$(date +%s%N)
if [[ "$got" != "hello from the http-server image" ]]; then
  docker logs "$CONTAINER" >&2 2>&1 || true
  die "the image $IMAGE did not serve a file (port '${port}', got '${got}')"
fi
docker stop -t 20 "$CONTAINER" >/dev/null
code=$(docker inspect -f '{{.State.ExitCode}}' "$CONTAINER")
[[ "$code" == 0 ]] || die "the server in $IMAGE exited $code on SIGTERM (want 0, as Ctrl-C)"
docker rm "$CONTAINER" >/dev/null
CONTAINER=""

size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
log "built $IMAGE (${IMAGE_ID#sha256:}): $(awk -v s="$size" 'BEGIN {printf "%.1f MB", s/1e6}'), first file served $(( (t1 - t0) / 1000000 )) ms after docker run, in $((SECONDS - START_TS)) s"
echo "HTTP_SERVER_IMAGE=$IMAGE"
