#!/usr/bin/env bash
# bench/run.sh -- side-by-side HTTP benchmark of our server against nginx, lighttpd,
# CPython's http.server and the JDK's jwebserver.  See bench/README.md.
#
# Every server listens on 127.0.0.1 only and runs one at a time; every wrk run is
# bounded in time; every process started here is stopped by its PID (also on
# Ctrl-C, via the EXIT/INT/TERM traps).
#
# Environment (all optional):
#   SERVERS      comma list of ours,nginx,lighttpd,python,jwebserver  (default: all)
#   SCENARIOS    comma list of 1k-keepalive,64k-keepalive,16m-8conn,listing-1000,1k-close,
#                https-1k-keepalive,h2-1k  (the last two: TLS, ours and nginx only)
#   DURATION     seconds per measured wrk run (default 10)
#   WARMUP       seconds of warm-up before each measured run (default 10: a JIT needs it; 0 = none)
#   PY_DURATION  DURATION for the CPython server only (default: DURATION)
#   THREADS      wrk threads (default 2)
#   JAR          our CLI jar (default http-server-cli/target/http-server-cli-0.1.0-SNAPSHOT-all.jar)
#   BUILD=1      build the jar when it is missing (./mvnw, else mvn)
#   OURS_CMD     full command line for "ours", with {port} and {dir} placeholders
#   OURS_PROTOCOL  value of --protocol passed to our jar (default HTTP/1.1; empty = omit)
#   JAVA         java binary for our jar (default: java on PATH)
#   JAVA_OPTS    JVM options for our jar (after bin/jvm.options, as bin/http-server does) and for jwebserver (default -Xmx256m)
#   JWEBSERVER   jwebserver binary (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/jwebserver)
#   PYTHON       python3 binary for the CPython server and the report (default python3)
#   ERR_PCT      mark a run whose errors exceed this % of requests (default 1)
#   SKIP_INSTALL=1  never call apt-get
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
OUT=$BENCH_DIR/out
CORPUS=$OUT/corpus
LOGS=$OUT/logs

ALL_SERVERS=ours,nginx,lighttpd,python,jwebserver
ALL_SCENARIOS=1k-keepalive,64k-keepalive,16m-8conn,listing-1000,1k-close,https-1k-keepalive,h2-1k
TLS_SCENARIOS=https-1k-keepalive,h2-1k   # run with the server in TLS mode, ours and nginx only
TLS_SERVERS=ours,nginx

SERVERS=${SERVERS:-$ALL_SERVERS}
SCENARIOS=${SCENARIOS:-$ALL_SCENARIOS}
DURATION=${DURATION:-10}; DURATION=${DURATION%s}
WARMUP=${WARMUP:-10}; WARMUP=${WARMUP%s}
PY_DURATION=${PY_DURATION:-$DURATION}; PY_DURATION=${PY_DURATION%s}
THREADS=${THREADS:-2}
JAR=${JAR:-$ROOT/http-server-cli/target/http-server-cli-0.1.0-SNAPSHOT-all.jar}
BUILD=${BUILD:-0}
OURS_CMD=${OURS_CMD:-}
OURS_PROTOCOL=${OURS_PROTOCOL-HTTP/1.1}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}
JWEBSERVER=${JWEBSERVER:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/jwebserver}
PYTHON=${PYTHON:-python3}
ERR_PCT=${ERR_PCT:-1}
SKIP_INSTALL=${SKIP_INSTALL:-0}
WRK_TIMEOUT=${WRK_TIMEOUT:-5}      # wrk --timeout (seconds) for one request
START_TIMEOUT=${START_TIMEOUT:-30} # seconds a server gets to start answering
PAUSE=${PAUSE:-1}                  # seconds of rest between runs

# the JVM options bin/http-server starts our jar with (bin/jvm.options), before JAVA_OPTS
OURS_JVM_DEFAULTS=()
while IFS= read -r line; do
  [[ -z $line || $line == \#* ]] || OURS_JVM_DEFAULTS+=("$line")
done < "$ROOT/bin/jvm.options"

# a relative JAR is taken relative to the repo root
[[ $JAR = /* ]] || JAR=$ROOT/$JAR

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
is_uint "$DURATION" && (( DURATION > 0 )) || die "DURATION must be a positive number of seconds"
is_uint "$WARMUP" || die "WARMUP must be a number of seconds"
is_uint "$PY_DURATION" && (( PY_DURATION > 0 )) || die "PY_DURATION must be a positive number of seconds"

IFS=, read -r -a SERVER_LIST <<<"$SERVERS"
IFS=, read -r -a SCENARIO_LIST <<<"$SCENARIOS"
for s in "${SERVER_LIST[@]}"; do [[ ,$ALL_SERVERS, == *,"$s",* ]] || die "unknown server '$s' (known: $ALL_SERVERS)"; done
for s in "${SCENARIO_LIST[@]}"; do [[ ,$ALL_SCENARIOS, == *,"$s",* ]] || die "unknown scenario '$s' (known: $ALL_SCENARIOS)"; done
is_tls_scenario() { [[ ,$TLS_SCENARIOS, == *,"$1",* ]]; }
PLAIN_LIST=(); TLS_LIST=()
for s in "${SCENARIO_LIST[@]}"; do
  if is_tls_scenario "$s"; then TLS_LIST+=("$s"); else PLAIN_LIST+=("$s"); fi
done

# scenario -> "path conns header"
scenario_path()  { case $1 in 1k-*|https-1k-*|h2-1k) echo /1k.bin ;; 64k-*) echo /64k.bin ;; 16m-*) echo /16m.bin ;; listing-*) echo /many/ ;; esac; }
scenario_conns() { case $1 in 16m-8conn) echo 8 ;; *) echo 64 ;; esac; }
scenario_header() { case $1 in 1k-close) echo "Connection: close" ;; *) echo "" ;; esac; }

# --------------------------------------------------------------------------- state + cleanup
SERVER_PID=""      # the server process we started (direct child of this shell)
SERVER_PORT=""
WRK_PID=""
SAMPLER_PID=""
SAMPLER_STOP=""
POLICY_CREATED=0
CLEANED=0

alive() { # PID -> true if the process exists and is not a zombie
  local line
  [[ -n $1 ]] && read -r line 2>/dev/null </proc/"$1"/stat || return 1
  line=${line##*) }
  [[ ${line%% *} != Z ]]
}

descendants() { # PID -> all descendant PIDs (via /proc/PID/task/*/children)
  local p kids k
  for p in "$@"; do
    kids=$(cat /proc/"$p"/task/*/children 2>/dev/null)
    for k in $kids; do echo "$k"; descendants "$k"; done
  done
}

stop_sampler() {
  [[ -n $SAMPLER_PID ]] || return 0
  [[ -n $SAMPLER_STOP ]] && : >"$SAMPLER_STOP"
  local i
  for i in {1..20}; do alive "$SAMPLER_PID" || break; sleep 0.1; done
  alive "$SAMPLER_PID" && kill -TERM "$SAMPLER_PID" 2>/dev/null
  wait "$SAMPLER_PID" 2>/dev/null
  rm -f "$SAMPLER_STOP"
  SAMPLER_PID=""
}

stop_wrk() {
  [[ -n $WRK_PID ]] || return 0
  # WRK_PID is `timeout`, which passes the signal on to wrk
  alive "$WRK_PID" && kill -TERM "$WRK_PID" 2>/dev/null
  wait "$WRK_PID" 2>/dev/null
  WRK_PID=""
}

port_listening() { [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]; }

wait_port_free() {
  local port=$1 i
  for i in $(seq 1 150); do port_listening "$port" || return 0; sleep 0.1; done
  log "WARNING: port $port still listening after stopping the server:"; ss -ltnp "sport = :$port" >&2
  return 1
}

stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  local pid=$SERVER_PID kids i k
  kids=$(descendants "$pid")
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then log "server PID $pid ignored SIGTERM; sending SIGKILL"; kill -KILL "$pid" 2>/dev/null; fi
  fi
  wait "$pid" 2>/dev/null
  for k in $kids; do  # workers normally leave with their master; make sure
    for i in $(seq 1 30); do alive "$k" || break; sleep 0.1; done
    alive "$k" && { log "killing leftover child PID $k"; kill -KILL "$k" 2>/dev/null; }
  done
  SERVER_PID=""
  [[ -n $SERVER_PORT ]] && wait_port_free "$SERVER_PORT"
  SERVER_PORT=""
}

cleanup() {
  (( CLEANED )) && return
  CLEANED=1
  stop_sampler
  stop_wrk
  stop_server
  if (( POLICY_CREATED )); then rm -f /usr/sbin/policy-rc.d; POLICY_CREATED=0; fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# --------------------------------------------------------------------------- 1. install
SUDO=()
if (( $(id -u) != 0 )); then command -v sudo >/dev/null && SUDO=(sudo -n); fi

have() { command -v "$1" >/dev/null 2>&1 || [[ -x /usr/sbin/$1 ]]; }

install_tools() {
  local missing=() pkgs=(wrk nginx lighttpd nghttp2-client python3)
  have wrk      || missing+=(wrk)
  have nginx    || missing+=(nginx)
  have lighttpd || missing+=(lighttpd)
  have h2load   || missing+=(nghttp2-client)
  have python3  || missing+=(python3)
  (( ${#missing[@]} )) || return 0
  if (( SKIP_INSTALL )); then log "missing packages (${missing[*]}) and SKIP_INSTALL=1: servers needing them will be skipped"; return 0; fi
  if (( $(id -u) != 0 )) && (( ${#SUDO[@]} == 0 )); then log "missing packages (${missing[*]}): run as root to install them"; return 0; fi
  log "installing: ${pkgs[*]} (missing: ${missing[*]})"
  # Debian starts nginx/lighttpd on install: forbid that for the duration of the install
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${SUDO[@]}" chmod 755 /usr/sbin/policy-rc.d
    POLICY_CREATED=1
  fi
  "${SUDO[@]}" apt-get update -qq >"$LOGS/apt.log" 2>&1 || log "apt-get update failed (see $LOGS/apt.log)"
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq "${pkgs[@]}" >>"$LOGS/apt.log" 2>&1 || log "apt-get install failed (see $LOGS/apt.log)"
  if (( POLICY_CREATED )); then "${SUDO[@]}" rm -f /usr/sbin/policy-rc.d; POLICY_CREATED=0; fi
  # in case a service got started anyway: stop the ones we just installed
  local svc
  for svc in nginx lighttpd; do
    [[ " ${missing[*]} " == *" $svc "* ]] || continue
    if [[ -d /run/systemd/system ]]; then
      "${SUDO[@]}" systemctl stop "$svc" >/dev/null 2>&1
      "${SUDO[@]}" systemctl disable "$svc" >/dev/null 2>&1
    elif command -v service >/dev/null; then
      "${SUDO[@]}" service "$svc" stop >/dev/null 2>&1
    fi
  done
}

mkdir -p "$OUT" "$LOGS"
find "$LOGS" -maxdepth 1 -type f -delete   # logs of the previous run
install_tools
for svc in nginx lighttpd; do
  if pgrep -x "$svc" >/dev/null 2>&1; then
    log "NOTE: a $svc not started by this script is running (PIDs $(pgrep -x "$svc" | tr '\n' ' ')); it is left alone but competes for CPU"
  fi
done
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
H2LOAD=$(command -v h2load || true)
command -v "$PYTHON" >/dev/null || die "$PYTHON not found"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
LIGHTTPD=$(command -v lighttpd || echo /usr/sbin/lighttpd)

# --------------------------------------------------------------------------- 2. corpus
make_corpus() {
  mkdir -p "$CORPUS/many"
  local f size
  for f in 1k:1024 64k:65536 16m:16777216; do
    size=${f#*:}; f=$CORPUS/${f%%:*}.bin
    if [[ ! -f $f ]] || (( $(stat -c %s "$f") != size )); then
      head -c "$size" /dev/urandom >"$f"
    fi
  done
  local n
  n=$(find "$CORPUS/many" -maxdepth 1 -type f | wc -l)
  if (( n != 1000 )); then
    rm -rf "$CORPUS/many"; mkdir -p "$CORPUS/many"
    local i line
    line="small file for the directory listing benchmark -- lorem ipsum dolor sit amet"
    for i in $(seq -w 1 1000); do printf '%s %s\n' "$i" "$line" >"$CORPUS/many/file-$i.txt"; done
  fi
  rm -f "$CORPUS/index.html" "$CORPUS/many/index.html"
}
make_corpus
log "corpus: $CORPUS (1k.bin, 64k.bin, 16m.bin, many/ with $(find "$CORPUS/many" -type f | wc -l) files)"

# TLS scenarios: a fresh self-signed EC P-256 certificate for localhost/127.0.0.1, once per run
TLS_DIR=$OUT/tls
TLS_CERT=$TLS_DIR/cert.pem
TLS_KEY=$TLS_DIR/key.pem
TLS_READY=0
if (( ${#TLS_LIST[@]} )); then
  mkdir -p "$TLS_DIR"
  rm -f "$TLS_CERT" "$TLS_KEY"
  if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
       -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$TLS_KEY" -out "$TLS_CERT" >"$LOGS/openssl.log" 2>&1; then
    TLS_READY=1
    log "TLS: self-signed EC P-256 certificate in $TLS_DIR"
  else
    log "WARNING: openssl could not make the TLS certificate (see $LOGS/openssl.log): TLS scenarios will fail"
  fi
fi

# --------------------------------------------------------------------------- results files
RUNS=$OUT/runs.tsv; RSS=$OUT/rss.tsv; INFO=$OUT/servers.tsv; META=$OUT/meta.tsv
printf 'server\tscenario\tstatus\trequests\tbytes\tduration_us\tconnect\tread\twrite\tnon2xx3xx\ttimeout\tp50_us\tp99_us\tmax_us\tconns\tduration_s\n' >"$RUNS"
printf 'server\tpeak_rss_kib\tvmhwm_kib\tnprocs\n' >"$RSS"
printf 'server\tstatus\tdesc\n' >"$INFO"
printf 'key\tvalue\n' >"$META"
record_meta() { printf '%s\t%s\n' "$1" "$2" >>"$META"; }
record_info() { printf '%s\t%s\t%s\n' "$1" "$2" "$(printf '%s' "$3" | tr '\t\n' '  ')" >>"$INFO"; }
record_meta date "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
record_meta machine "$(uname -srm), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
record_meta load-average-at-start "$(cut -d' ' -f1-3 /proc/loadavg)"
record_meta wrk "$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), -t$THREADS, --timeout ${WRK_TIMEOUT}s, loopback"
record_meta durations "measured ${DURATION}s (CPython ${PY_DURATION}s), warm-up ${WARMUP}s before each measured run"

# --------------------------------------------------------------------------- 3. servers
SERVER_CMD=()
SERVER_DESC=""

ours_build_if_needed() {
  [[ -z $OURS_CMD && ! -f $JAR && $BUILD == 1 ]] || return 0
  log "building our jar ($JAR is missing, BUILD=1)"
  local mvn=(mvn)
  [[ -x $ROOT/mvnw ]] && mvn=(./mvnw)
  (cd "$ROOT" && "${mvn[@]}" -q -DskipTests package -pl http-server-cli -am) >"$LOGS/build.log" 2>&1 \
    || log "build failed (see $LOGS/build.log)"
}

# sets SERVER_CMD / SERVER_DESC for $1 on port $2; returns 1 (with SERVER_DESC = reason) if unavailable
server_cmd() { # name port [tls]
  local name=$1 port=$2 mode=${3:-plain} dir=$CORPUS
  SERVER_CMD=(); SERVER_DESC=""
  case $name in
    ours)
      if [[ -n $OURS_CMD && $mode == tls ]]; then
        SERVER_DESC="OURS_CMD is set: TLS scenarios need the jar"
        return 1
      elif [[ -n $OURS_CMD ]]; then
        local c=${OURS_CMD//\{port\}/$port}
        c=${c//\{dir\}/$dir}
        SERVER_CMD=(bash -c "exec $c")
        SERVER_DESC="OURS_CMD: $OURS_CMD"
      elif [[ -f $JAR ]]; then
        local opts
        read -r -a opts <<<"$JAVA_OPTS"
        SERVER_CMD=("$JAVA" "${OURS_JVM_DEFAULTS[@]}" "${opts[@]}" -jar "$JAR" "$port" --bind 127.0.0.1 --directory "$dir")
        [[ -n $OURS_PROTOCOL ]] && SERVER_CMD+=(--protocol "$OURS_PROTOCOL")
        [[ $mode == tls ]] && SERVER_CMD+=(--tls-cert "$TLS_CERT" --tls-key "$TLS_KEY")
        SERVER_DESC="$(basename "$JAR") on $("$JAVA" -version 2>&1 | head -1), bin/jvm.options (${OURS_JVM_DEFAULTS[*]}) then JAVA_OPTS=$JAVA_OPTS"
      else
        SERVER_DESC="jar $JAR not found (build it, set BUILD=1, or set OURS_CMD)"
        return 1
      fi ;;
    nginx)
      [[ -x $NGINX ]] || { SERVER_DESC="nginx not installed"; return 1; }
      local run=$OUT/nginx user=root tmpl=nginx.conf
      [[ $mode == tls ]] && { run=$OUT/nginx-tls; tmpl=nginx-tls.conf; }
      mkdir -p "$run"
      (( $(id -u) == 0 )) || user=$(id -un)
      sed -e "s#@PORT@#$port#g" -e "s#@ROOT@#$dir#g" -e "s#@RUNDIR@#$run#g" -e "s#@USER@#$user#g" \
        -e "s#@CERT@#$TLS_CERT#g" -e "s#@KEY@#$TLS_KEY#g" \
        "$BENCH_DIR/$tmpl" >"$run/nginx.conf"
      SERVER_CMD=("$NGINX" -p "$run" -e "$run/error.log" -c "$run/nginx.conf")
      SERVER_DESC="$("$NGINX" -v 2>&1 | sed 's/.*: //'), config bench/$tmpl (worker_processes auto)" ;;
    lighttpd)
      [[ -x $LIGHTTPD ]] || { SERVER_DESC="lighttpd not installed"; return 1; }
      local run=$OUT/lighttpd
      mkdir -p "$run"
      sed -e "s#@PORT@#$port#g" -e "s#@ROOT@#$dir#g" -e "s#@RUNDIR@#$run#g" \
        "$BENCH_DIR/lighttpd.conf" >"$run/lighttpd.conf"
      SERVER_CMD=("$LIGHTTPD" -D -f "$run/lighttpd.conf")
      SERVER_DESC="$("$LIGHTTPD" -v 2>&1 | head -1 | cut -d' ' -f1), config bench/lighttpd.conf (single process)" ;;
    python)
      command -v "$PYTHON" >/dev/null || { SERVER_DESC="$PYTHON not found"; return 1; }
      if "$PYTHON" -m http.server --help 2>&1 | grep -q -- '--protocol'; then
        SERVER_CMD=("$PYTHON" -m http.server "$port" --bind 127.0.0.1 --directory "$dir" --protocol HTTP/1.1)
        SERVER_DESC="$("$PYTHON" --version 2>&1) -m http.server --protocol HTTP/1.1 (ThreadingHTTPServer)"
      else
        SERVER_CMD=("$PYTHON" "$BENCH_DIR/py_http11.py" "$port" 127.0.0.1 "$dir")
        SERVER_DESC="$("$PYTHON" --version 2>&1) bench/py_http11.py (no --protocol option: wrapper, HTTP/1.1, ThreadingHTTPServer)"
      fi
      if [[ $PY_DURATION != "$DURATION" ]]; then SERVER_DESC+=", measured runs of ${PY_DURATION}s"; fi ;;
    jwebserver)
      [[ -x $JWEBSERVER ]] || { SERVER_DESC="$JWEBSERVER not found"; return 1; }
      local opts o jopts=()
      read -r -a opts <<<"$JAVA_OPTS"
      for o in "${opts[@]}"; do jopts+=("-J$o"); done
      SERVER_CMD=("$JWEBSERVER" "${jopts[@]}" -b 127.0.0.1 -p "$port" -d "$dir" -o none)
      SERVER_DESC="$("$JWEBSERVER" -version 2>&1 | head -1), JVM options $JAVA_OPTS" ;;
  esac
  return 0
}

start_server() { # name port log [scheme] -> sets SERVER_PID; returns 1 if it does not answer in time
  local name=$1 port=$2 logf=$3 scheme=${4:-http} i
  SERVER_PORT=$port
  "${SERVER_CMD[@]}" </dev/null >"$logf" 2>&1 &
  SERVER_PID=$!
  for i in $(seq 1 $(( START_TIMEOUT * 4 ))); do
    alive "$SERVER_PID" || { log "$name exited during start-up (see $logf)"; return 1; }
    if port_listening "$port" && "$PYTHON" "$BENCH_DIR/benchutil.py" probe "$port" /1k.bin any "$scheme" 2>/dev/null; then
      return 0
    fi
    sleep 0.25
  done
  log "$name did not answer within ${START_TIMEOUT}s (see $logf)"
  return 1
}

# --------------------------------------------------------------------------- 4. load
# run_wrk PORT SCENARIO DURATION OUTFILE
run_wrk() {
  local port=$1 scen=$2 dur=$3 outf=$4
  local path conns hdr args
  path=$(scenario_path "$scen"); conns=$(scenario_conns "$scen"); hdr=$(scenario_header "$scen")
  args=(-t"$THREADS" -c"$conns" -d"${dur}s" --timeout "${WRK_TIMEOUT}s" -s "$BENCH_DIR/wrk_report.lua")
  [[ -n $hdr ]] && args+=(-H "$hdr")
  local scheme=http
  is_tls_scenario "$scen" && scheme=https
  if [[ $scen == h2-1k ]]; then
    # h2load: HTTP/2 over TLS (ALPN h2), 64 clients, 10 concurrent streams each, for DUR seconds
    [[ -n $H2LOAD ]] || { echo "h2load not installed (apt-get install nghttp2-client)" >"$outf"; return 1; }
    timeout -k 5 $(( dur + WRK_TIMEOUT + 30 )) "$H2LOAD" -c "$conns" -m 10 -t "$THREADS" -D "$dur" \
      -T "$WRK_TIMEOUT" "https://127.0.0.1:$port$path" >"$outf" 2>&1 &
  else
    timeout -k 5 $(( dur + WRK_TIMEOUT + 30 )) wrk "${args[@]}" "$scheme://127.0.0.1:$port$path" >"$outf" 2>&1 &
  fi
  WRK_PID=$!
  wait "$WRK_PID"
  local rc=$?
  WRK_PID=""
  return $rc
}

# background sampler: max over samples of the sum of VmRSS over the server's process tree
start_sampler() { # PID OUTFILE
  local pid=$1 outf=$2
  SAMPLER_STOP=$outf.stop
  rm -f "$SAMPLER_STOP"; echo "0 0" >"$outf"
  (
    max=0
    while [[ ! -e $SAMPLER_STOP ]] && alive "$pid"; do
      sum=0; n=0
      for p in $pid $(descendants "$pid"); do
        while read -r k v _; do
          [[ $k == VmRSS: ]] && { sum=$(( sum + v )); n=$(( n + 1 )); break; }
        done 2>/dev/null </proc/"$p"/status
      done
      (( sum > max )) && { max=$sum; echo "$max $n" >"$outf"; }
      sleep 0.2
    done
  ) &
  SAMPLER_PID=$!
}

vm_kib() { # PID FIELD -> value in kiB
  awk -v f="$2:" '$1 == f { print $2 }' /proc/"$1"/status 2>/dev/null
}

record_run() { # server scenario status outfile conns dur
  local server=$1 scen=$2 status=$3 outf=$4 conns=$5 dur=$6 line
  if [[ $scen == h2-1k ]]; then
    line=$("$PYTHON" "$BENCH_DIR/benchutil.py" h2load "$outf" 2>/dev/null)
  else
    line=$(grep -m1 '^WRKRESULT ' "$outf" 2>/dev/null)
  fi
  if [[ -z $line ]]; then
    [[ $status == ok ]] && status=wrk-failed
    printf '%s\t%s\t%s\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t%s\t%s\n' "$server" "$scen" "$status" "$conns" "$dur" >>"$RUNS"
    return
  fi
  local -A f=()
  local kv
  for kv in ${line#WRKRESULT }; do f[${kv%%=*}]=${kv#*=}; done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$scen" "$status" \
    "${f[requests]}" "${f[bytes]}" "${f[duration_us]}" "${f[connect]}" "${f[read]}" "${f[write]}" \
    "${f[status]}" "${f[timeout]}" "${f[p50_us]}" "${f[p99_us]}" "${f[max_us]}" "$conns" "$dur" >>"$RUNS"
  local secs
  secs=$(awk -v d="${f[duration_us]}" 'BEGIN { printf "%.2f", d / 1e6 }')
  log "  $server $scen: $(awk -v r="${f[requests]}" -v b="${f[bytes]}" -v d="${f[duration_us]}" \
      'BEGIN { printf "%.0f req/s, %.1f MiB/s", r / (d / 1e6), b / (d / 1e6) / 1048576 }') over ${secs}s;" \
      "non-2xx/3xx ${f[status]}, socket errors c/r/w/t ${f[connect]}/${f[read]}/${f[write]}/${f[timeout]}"
}

# second pass for the TLS scenarios: ours and nginx only, restarted with TLS
bench_server_tls() {
  local name=$1 port logf scen outf conns dur=$DURATION
  if [[ ,$TLS_SERVERS, != *,"$name",* ]]; then
    (( ${#PLAIN_LIST[@]} )) || record_info "$name" "not applicable" "TLS scenarios are run for $TLS_SERVERS only"
    return 0
  fi
  port=$("$PYTHON" "$BENCH_DIR/benchutil.py" freeport) || die "cannot find a free port"
  if [[ $name == ours ]]; then ours_build_if_needed; fi
  local why=""
  if (( ! TLS_READY )); then
    why="no TLS certificate"
  elif ! server_cmd "$name" "$port" tls; then
    why=$SERVER_DESC
  fi
  # with only TLS scenarios requested, the plain pass did not describe the server
  (( ${#PLAIN_LIST[@]} )) || record_info "$name" "${why:+skipped (TLS): }${why:-ok (TLS only)}" "$SERVER_DESC"
  if [[ -n $why ]]; then
    log "skipping $name over TLS: $why"
    for scen in "${TLS_LIST[@]}"; do
      printf '%s\t%s\t%s\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t%s\t%s\n' "$name" "$scen" "skipped" "$(scenario_conns "$scen")" "$dur" >>"$RUNS"
    done
    return
  fi
  logf=$LOGS/$name.tls.server.log
  log "== $name (TLS) on 127.0.0.1:$port: ${SERVER_CMD[*]}"
  if ! start_server "$name" "$port" "$logf" https; then
    for scen in "${TLS_LIST[@]}"; do
      printf '%s\t%s\t%s\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t%s\t%s\n' "$name" "$scen" "start-failed" "$(scenario_conns "$scen")" "$dur" >>"$RUNS"
    done
    stop_server
    return
  fi
  if ! "$PYTHON" "$BENCH_DIR/benchutil.py" probe "$port" /1k.bin 1024 https 2>>"$LOGS/$name.tls.probe.log"; then
    log "WARNING: $name: GET https://.../1k.bin is not 200 with 1024 bytes: $(tail -1 "$LOGS/$name.tls.probe.log")"
  fi
  log "$name (TLS): PID $SERVER_PID, ready"
  for scen in "${TLS_LIST[@]}"; do
    conns=$(scenario_conns "$scen")
    if ! alive "$SERVER_PID"; then
      log "  $name died before $scen"
      printf '%s\t%s\t%s\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t%s\t%s\n' "$name" "$scen" "server-died" "$conns" "$dur" >>"$RUNS"
      continue
    fi
    if (( WARMUP > 0 )); then
      run_wrk "$port" "$scen" "$WARMUP" "$LOGS/$name.$scen.warmup.txt"
      sleep "$PAUSE"
    fi
    outf=$LOGS/$name.$scen.txt
    run_wrk "$port" "$scen" "$dur" "$outf"
    local rs=ok
    alive "$SERVER_PID" || rs=server-died
    record_run "$name" "$scen" "$rs" "$outf" "$conns" "$dur"
    sleep "$PAUSE"
  done
  log "stopping $name (TLS, PID $SERVER_PID)"
  stop_server
}

bench_server() {
  local name=$1 port dur logf scen outf conns
  port=$("$PYTHON" "$BENCH_DIR/benchutil.py" freeport) || die "cannot find a free port"
  if [[ $name == ours ]]; then ours_build_if_needed; fi
  if ! server_cmd "$name" "$port"; then
    log "skipping $name: $SERVER_DESC"
    record_info "$name" "skipped" "$SERVER_DESC"
    return
  fi
  dur=$DURATION; [[ $name == python ]] && dur=$PY_DURATION
  logf=$LOGS/$name.server.log
  log "== $name on 127.0.0.1:$port: ${SERVER_CMD[*]}"
  if ! start_server "$name" "$port" "$logf"; then
    record_info "$name" "failed to start" "$SERVER_DESC; see $logf"
    stop_server
    return
  fi
  local st=ok
  rm -f "$LOGS/$name.probe.log"
  if ! "$PYTHON" "$BENCH_DIR/benchutil.py" probe "$port" /1k.bin 1024 2>>"$LOGS/$name.probe.log"; then
    log "WARNING: $name: GET /1k.bin is not 200 with 1024 bytes: $(tail -1 "$LOGS/$name.probe.log")"
    SERVER_DESC+="; GET /1k.bin check failed: $(tail -1 "$LOGS/$name.probe.log")"
  fi
  if ! "$PYTHON" "$BENCH_DIR/benchutil.py" probe "$port" /many/ 2>>"$LOGS/$name.probe.log"; then
    log "WARNING: $name: GET /many/ is not 200: $(tail -1 "$LOGS/$name.probe.log")"
    SERVER_DESC+="; GET /many/ check failed: $(tail -1 "$LOGS/$name.probe.log")"
  fi
  log "$name: PID $SERVER_PID, ready"
  for scen in "${PLAIN_LIST[@]}"; do
    conns=$(scenario_conns "$scen")
    if ! alive "$SERVER_PID"; then
      log "  $name died before $scen"
      st="server died"
      printf '%s\t%s\t%s\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t%s\t%s\n' "$name" "$scen" "server-died" "$conns" "$dur" >>"$RUNS"
      continue
    fi
    if (( WARMUP > 0 )); then
      run_wrk "$port" "$scen" "$WARMUP" "$LOGS/$name.$scen.warmup.txt"
      sleep "$PAUSE"
    fi
    outf=$LOGS/$name.$scen.wrk.txt
    [[ $scen == 1k-keepalive ]] && start_sampler "$SERVER_PID" "$LOGS/$name.rss"
    run_wrk "$port" "$scen" "$dur" "$outf"
    if [[ $scen == 1k-keepalive ]]; then
      local hwm nprocs peak
      hwm=$(vm_kib "$SERVER_PID" VmHWM)
      stop_sampler
      read -r peak nprocs <"$LOGS/$name.rss"
      printf '%s\t%s\t%s\t%s\n' "$name" "$peak" "${hwm:-0}" "$nprocs" >>"$RSS"
      log "  $name peak RSS: $(( peak / 1024 )) MiB summed over $nprocs process(es); VmHWM of PID $SERVER_PID: $(( ${hwm:-0} / 1024 )) MiB"
    fi
    local rs=ok
    alive "$SERVER_PID" || rs=server-died
    record_run "$name" "$scen" "$rs" "$outf" "$conns" "$dur"
    sleep "$PAUSE"
  done
  record_info "$name" "$st" "$SERVER_DESC"
  log "stopping $name (PID $SERVER_PID)"
  stop_server
}

ntls=0
for s in "${SERVER_LIST[@]}"; do [[ ,$TLS_SERVERS, == *,"$s",* ]] && ntls=$(( ntls + 1 )); done
nscen=$(( ${#SERVER_LIST[@]} * ${#PLAIN_LIST[@]} + ntls * ${#TLS_LIST[@]} ))
est=$(awk -v s=1 -v n="$nscen" -v d="$DURATION" -v w="$WARMUP" -v p="$PAUSE" \
  'BEGIN { printf "%.0f", s * n * (d + w + 2 * p) }')
log "servers: $SERVERS; scenarios: $SCENARIOS; ~${est}s of load in total"
for server in "${SERVER_LIST[@]}"; do
  (( ${#PLAIN_LIST[@]} )) && bench_server "$server"
  (( ${#TLS_LIST[@]} )) && bench_server_tls "$server"
done
record_meta load-average-at-end "$(cut -d' ' -f1-3 /proc/loadavg)"

# --------------------------------------------------------------------------- 5. report
"$PYTHON" "$BENCH_DIR/benchutil.py" report "$OUT" "$SCENARIOS" "$SERVERS" "$ERR_PCT"
log "written: $OUT/results.md, $OUT/results.csv, $OUT/results-runs.csv (wrk outputs and server logs in $LOGS)"
