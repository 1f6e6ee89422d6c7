#!/usr/bin/env bash
# bench/run.sh -- side-by-side HTTP benchmark of our server against nginx, lighttpd,
# CPython's http.server and the JDK's jwebserver.  See bench/README.md.
#
# Every server listens on 127.0.0.1 only and runs one at a time; every wrk run is
# bounded in time; every process started here is stopped by its PID (also on
# Ctrl-C, via the EXIT/INT/TERM traps).
#
# Helpers (process control, install, corpus, result rows) are in bench/lib.sh.
#
# Environment (all optional):
#   SERVERS      comma list of ours,nginx,lighttpd,python,jwebserver,ours-handler  (default: all)
#                (ours-handler: bench/Hello1k.java on our library, scenario handler-1k only)
#   SCENARIOS    comma list of 1k-keepalive,64k-keepalive,16m-8conn,listing-1000,1k-close,
#                listing-churn,range-64k,gzip-100k,handler-1k,https-1k-keepalive,h2-1k
#                (not every server runs every scenario: see scenario_servers)
#   DURATION     seconds per measured wrk run (default 10)
#   WARMUP       seconds of warm-up before each measured run (default 10: a JIT needs it; 0 = none)
#   PY_DURATION  DURATION for the CPython server only (default: DURATION)
#   THREADS      wrk threads (default 2)
#   JAR          our CLI jar (default http-server-cli/target/http-server-cli-0.1.0-SNAPSHOT-all.jar)
#   BUILD=1      build the jar when it is missing (./mvnw, else mvn)
#   OURS_CMD     full command line for "ours", with {port} and {dir} placeholders
#   OURS_PROTOCOL  value of --protocol passed to our jar (default HTTP/1.1; empty = omit)
#   OURS_COMPRESS  auto (default): pass --compress to our jar when its --help lists it; 0: never
#   JAVA         java binary for our jar (default: java on PATH)
#   JAVA_OPTS    JVM options for our jar (after bin/jvm.options, as bin/http-server does) and for jwebserver (default -Xmx256m)
#   JWEBSERVER   jwebserver binary (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/jwebserver)
#   PYTHON       python3 binary for the CPython server and the report (default python3)
#   ERR_PCT      mark a run whose errors exceed this % of requests (default 1)
#   SKIP_INSTALL=1  never call apt-get
#   OUT_DIR      where the corpus, logs and results go (default bench/out)
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
OUT=${OUT_DIR:-$BENCH_DIR/out}
[[ $OUT = /* ]] || OUT=$PWD/$OUT
CORPUS=$OUT/corpus
LOGS=$OUT/logs

ALL_SERVERS=ours,nginx,lighttpd,python,jwebserver,ours-handler
ALL_SCENARIOS=1k-keepalive,64k-keepalive,16m-8conn,listing-1000,1k-close,listing-churn,range-64k,gzip-100k,handler-1k,https-1k-keepalive,h2-1k
TLS_SCENARIOS=https-1k-keepalive,h2-1k   # run with the server in TLS mode (a second start)
FILE_SERVERS=ours,nginx,lighttpd,python,jwebserver   # the servers of a folder

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
OURS_COMPRESS=${OURS_COMPRESS:-auto}
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

# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"

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

# scenario -> path, connections, extra request header, wrk script
scenario_path() {
  case $1 in
    1k-*|https-1k-*|h2-1k|handler-1k) echo /1k.bin ;;
    64k-*) echo /64k.bin ;;
    16m-*|range-64k) echo /16m.bin ;;
    listing-*) echo /many/ ;;
    gzip-100k) echo /100k.txt ;;
  esac
}
scenario_conns() { case $1 in 16m-8conn) echo 8 ;; *) echo 64 ;; esac; }
scenario_header() { case $1 in 1k-close) echo "Connection: close" ;; gzip-100k) echo "Accept-Encoding: gzip" ;; *) echo "" ;; esac; }
scenario_script() { case $1 in range-64k) echo "$BENCH_DIR/wrk_range.lua" ;; *) echo "$BENCH_DIR/wrk_report.lua" ;; esac; }
# scenario -> the servers that run it; the others show '-' in the table
# (keep in step with SCENARIO_SERVERS in benchutil.py)
scenario_servers() {
  case $1 in
    https-1k-keepalive|h2-1k) echo ours,nginx ;;          # TLS: ours and nginx only
    range-64k) echo ours,nginx,lighttpd ;;                # python's http.server and jwebserver have no Range
    handler-1k) echo ours-handler ;;                      # our library with a handler class of its own
    *) echo "$FILE_SERVERS" ;;
  esac
}
runs_scenario() { [[ ,$(scenario_servers "$2"), == *,"$1",* ]]; } # server scenario

# --------------------------------------------------------------------------- state + cleanup
SERVER_PID=""      # the server process we started (direct child of this shell)
SERVER_PORT=""
WRK_PID=""
SAMPLER_PID=""
SAMPLER_STOP=""
CHURN_PID=""       # listing-churn's folder changer
CHURN_T0=""
CHURN_COUNT=""
CHURN_RATE=""
SERVER_DIED=0
POLICY_CREATED=0
CLEANED=0

cleanup() {
  (( CLEANED )) && return
  CLEANED=1
  stop_sampler
  stop_wrk
  stop_churn
  stop_server
  if (( POLICY_CREATED )); then rm -f /usr/sbin/policy-rc.d; POLICY_CREATED=0; fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# --------------------------------------------------------------------------- 1. install
SUDO=()
if (( $(id -u) != 0 )); then command -v sudo >/dev/null && SUDO=(sudo -n); fi

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
LIGHTTPD_MODDIR=${LIGHTTPD_MODDIR:-/usr/lib/lighttpd}   # Debian's server.modules-dir

# --------------------------------------------------------------------------- 2. corpus
make_corpus
log "corpus: $CORPUS (1k.bin, 64k.bin, 16m.bin, 100k.txt, many/ with $(find "$CORPUS/many" -type f | wc -l) files)"

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
OURS_HAS_COMPRESS=""   # yes/no once asked: does our jar's --help list --compress?

ours_build_if_needed() {
  [[ -z $OURS_CMD && ! -f $JAR && $BUILD == 1 ]] || return 0
  log "building our jar ($JAR is missing, BUILD=1)"
  local mvn=(mvn)
  [[ -x $ROOT/mvnw ]] && mvn=(./mvnw)
  (cd "$ROOT" && "${mvn[@]}" -q -DskipTests package -pl http-server-cli -am) >"$LOGS/build.log" 2>&1 \
    || log "build failed (see $LOGS/build.log)"
}

ours_compress() { # true when --compress goes to our jar (OURS_COMPRESS=auto and the jar knows it)
  [[ $OURS_COMPRESS != 0 && -z $OURS_CMD && -f $JAR ]] || return 1
  if [[ -z $OURS_HAS_COMPRESS ]]; then
    OURS_HAS_COMPRESS=no
    "$JAVA" -jar "$JAR" --help 2>&1 | grep -q -- '--compress' && OURS_HAS_COMPRESS=yes
  fi
  [[ $OURS_HAS_COMPRESS == yes ]]
}

# sets SERVER_CMD / SERVER_DESC for $1 on port $2; returns 1 (with SERVER_DESC = reason) if unavailable
server_cmd() { # name port [tls]
  local name=$1 port=$2 mode=${3:-plain} dir=$CORPUS opts
  SERVER_CMD=(); SERVER_DESC=""
  read -r -a opts <<<"$JAVA_OPTS"
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
        SERVER_CMD=("$JAVA" "${OURS_JVM_DEFAULTS[@]}" "${opts[@]}" -jar "$JAR" "$port" --bind 127.0.0.1 --directory "$dir")
        [[ -n $OURS_PROTOCOL ]] && SERVER_CMD+=(--protocol "$OURS_PROTOCOL")
        ours_compress && SERVER_CMD+=(--compress)
        [[ $mode == tls ]] && SERVER_CMD+=(--tls-cert "$TLS_CERT" --tls-key "$TLS_KEY")
        SERVER_DESC="$(basename "$JAR") on $("$JAVA" -version 2>&1 | head -1), bin/jvm.options (${OURS_JVM_DEFAULTS[*]}) then JAVA_OPTS=$JAVA_OPTS"
        if ours_compress; then
          SERVER_DESC+=", --compress"
        elif [[ $OURS_COMPRESS == 0 ]]; then
          SERVER_DESC+=", without --compress (OURS_COMPRESS=0)"
        else
          SERVER_DESC+=", without --compress (not supported by this build)"
        fi
      else
        SERVER_DESC="jar $JAR not found (build it, set BUILD=1, or set OURS_CMD)"
        return 1
      fi ;;
    ours-handler)
      [[ -f $JAR ]] || { SERVER_DESC="jar $JAR not found (bench/Hello1k.java runs against it)"; return 1; }
      SERVER_CMD=("$JAVA" "${OURS_JVM_DEFAULTS[@]}" "${opts[@]}" -cp "$JAR" "$BENCH_DIR/Hello1k.java" "$port")
      SERVER_DESC="bench/Hello1k.java (ThreadingHttpServer + BaseHttpRequestHandler subclass, 1 KiB from memory) on $("$JAVA" -version 2>&1 | head -1), source launcher, -cp $(basename "$JAR"), JVM options as ours" ;;
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
      SERVER_DESC="$("$NGINX" -v 2>&1 | sed 's/.*: //'), config bench/$tmpl (worker_processes auto, gzip level 6)" ;;
    lighttpd)
      [[ -x $LIGHTTPD ]] || { SERVER_DESC="lighttpd not installed"; return 1; }
      local run=$OUT/lighttpd
      mkdir -p "$run"
      sed -e "s#@PORT@#$port#g" -e "s#@ROOT@#$dir#g" -e "s#@RUNDIR@#$run#g" \
        "$BENCH_DIR/lighttpd.conf" >"$run/lighttpd.conf"
      SERVER_DESC="$("$LIGHTTPD" -v 2>&1 | head -1 | cut -d' ' -f1), config bench/lighttpd.conf (single process)"
      # on-the-fly gzip for gzip-100k, when this lighttpd has mod_deflate
      if [[ -f $LIGHTTPD_MODDIR/mod_deflate.so ]]; then
        cat "$BENCH_DIR/lighttpd-deflate.conf" >>"$run/lighttpd.conf"
        SERVER_DESC+=" + bench/lighttpd-deflate.conf (mod_deflate, level 6)"
      else
        SERVER_DESC+=", no mod_deflate in $LIGHTTPD_MODDIR: gzip-100k answered uncompressed"
      fi
      SERVER_CMD=("$LIGHTTPD" -D -f "$run/lighttpd.conf") ;;
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
      local o jopts=()
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
  args=(-t"$THREADS" -c"$conns" -d"${dur}s" --timeout "${WRK_TIMEOUT}s" -s "$(scenario_script "$scen")")
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

# the check step of range-64k and gzip-100k: prints "ok", or the status that replaces the run
# (the server does not answer what the scenario measures, so its figure would not be comparable)
scenario_check() { # name port scenario
  local name=$1 port=$2 scen=$3 kind what rc
  case $scen in range-64k) kind=range ;; gzip-100k) kind=gzip ;; *) echo ok; return ;; esac
  what=$("$PYTHON" "$BENCH_DIR/benchutil.py" check "$port" "$(scenario_path "$scen")" "$kind")
  rc=$?
  log "  $name $scen check: $what"
  if (( rc == 0 )); then echo ok
  elif (( rc == 2 )) && [[ $kind == range ]]; then echo no-range
  elif (( rc == 2 )) && [[ $name == ours && -z $OURS_CMD ]] && ! ours_compress; then echo not-supported
  elif (( rc == 2 )); then echo uncompressed
  else echo check-failed
  fi
}

# warm-up + measured run of each scenario against the server on PORT
run_scenarios() { # name port dur outfile-suffix scenario...
  local name=$1 port=$2 dur=$3 sfx=$4 scen conns outf st
  shift 4
  for scen in "$@"; do
    conns=$(scenario_conns "$scen")
    if ! alive "$SERVER_PID"; then
      log "  $name died before $scen"
      SERVER_DIED=1
      record_empty "$name" "$scen" server-died "$conns" "$dur"
      continue
    fi
    st=$(scenario_check "$name" "$port" "$scen")
    if [[ $st != ok ]]; then
      log "  $name $scen: not measured ($st)"
      record_empty "$name" "$scen" "$st" "$conns" "$dur"
      continue
    fi
    [[ $scen == listing-churn ]] && start_churn $(( WARMUP + PAUSE + dur + WRK_TIMEOUT + 35 )) "$LOGS/$name.churn.count"
    if (( WARMUP > 0 )); then
      run_wrk "$port" "$scen" "$WARMUP" "$LOGS/$name.$scen.warmup.txt"
      sleep "$PAUSE"
    fi
    outf=$LOGS/$name.$scen$sfx
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
    if [[ $scen == listing-churn ]]; then
      stop_churn
      log "  $name listing-churn: the folder changed ${CHURN_RATE:-?} times/s (warm-up and measured run)"
      record_meta "listing-churn folder changes/s, $name" "${CHURN_RATE:-?}"
    fi
    local rs=ok
    alive "$SERVER_PID" || rs=server-died
    record_run "$name" "$scen" "$rs" "$outf" "$conns" "$dur"
    sleep "$PAUSE"
  done
}

# second pass for the TLS scenarios (the server restarted with TLS)
bench_server_tls() { # name scenario...
  local name=$1 port logf scen dur=$DURATION
  shift
  port=$("$PYTHON" "$BENCH_DIR/benchutil.py" freeport) || die "cannot find a free port"
  if [[ $name == ours ]]; then ours_build_if_needed; fi
  local why=""
  if (( ! TLS_READY )); then
    why="no TLS certificate"
  elif ! server_cmd "$name" "$port" tls; then
    why=$SERVER_DESC
  fi
  # with no plain scenario for it, the plain pass did not describe the server
  (( ${#MY_PLAIN[@]} )) || record_info "$name" "${why:+skipped (TLS): }${why:-ok (TLS only)}" "$SERVER_DESC"
  if [[ -n $why ]]; then
    log "skipping $name over TLS: $why"
    for scen in "$@"; do record_empty "$name" "$scen" skipped "$(scenario_conns "$scen")" "$dur"; done
    return
  fi
  logf=$LOGS/$name.tls.server.log
  log "== $name (TLS) on 127.0.0.1:$port: ${SERVER_CMD[*]}"
  if ! start_server "$name" "$port" "$logf" https; then
    for scen in "$@"; do record_empty "$name" "$scen" start-failed "$(scenario_conns "$scen")" "$dur"; done
    stop_server
    return
  fi
  if ! "$PYTHON" "$BENCH_DIR/benchutil.py" probe "$port" /1k.bin 1024 https 2>>"$LOGS/$name.tls.probe.log"; then
    log "WARNING: $name: GET https://.../1k.bin is not 200 with 1024 bytes: $(tail -1 "$LOGS/$name.tls.probe.log")"
  fi
  log "$name (TLS): PID $SERVER_PID, ready"
  run_scenarios "$name" "$port" "$dur" .txt "$@"
  log "stopping $name (TLS, PID $SERVER_PID)"
  stop_server
}

bench_server() { # name scenario...
  local name=$1 port dur logf scen
  shift
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
  rm -f "$LOGS/$name.probe.log"
  if ! "$PYTHON" "$BENCH_DIR/benchutil.py" probe "$port" /1k.bin 1024 2>>"$LOGS/$name.probe.log"; then
    log "WARNING: $name: GET /1k.bin is not 200 with 1024 bytes: $(tail -1 "$LOGS/$name.probe.log")"
    SERVER_DESC+="; GET /1k.bin check failed: $(tail -1 "$LOGS/$name.probe.log")"
  fi
  if [[ " $* " == *" listing-"* ]] && ! "$PYTHON" "$BENCH_DIR/benchutil.py" probe "$port" /many/ 2>>"$LOGS/$name.probe.log"; then
    log "WARNING: $name: GET /many/ is not 200: $(tail -1 "$LOGS/$name.probe.log")"
    SERVER_DESC+="; GET /many/ check failed: $(tail -1 "$LOGS/$name.probe.log")"
  fi
  log "$name: PID $SERVER_PID, ready"
  SERVER_DIED=0
  run_scenarios "$name" "$port" "$dur" .wrk.txt "$@"
  local st=ok
  (( SERVER_DIED )) && st="server died"
  record_info "$name" "$st" "$SERVER_DESC"
  log "stopping $name (PID $SERVER_PID)"
  stop_server
}

# the scenarios each server runs: MY_PLAIN and MY_TLS for one server
my_scenarios() {
  local s
  MY_PLAIN=(); MY_TLS=()
  for s in "${PLAIN_LIST[@]}"; do runs_scenario "$1" "$s" && MY_PLAIN+=("$s"); done
  for s in "${TLS_LIST[@]}"; do runs_scenario "$1" "$s" && MY_TLS+=("$s"); done
}

nscen=0
for server in "${SERVER_LIST[@]}"; do my_scenarios "$server"; nscen=$(( nscen + ${#MY_PLAIN[@]} + ${#MY_TLS[@]} )); done
est=$(awk -v n="$nscen" -v d="$DURATION" -v w="$WARMUP" -v p="$PAUSE" 'BEGIN { printf "%.0f", n * (d + w + 2 * p) }')
log "servers: $SERVERS; scenarios: $SCENARIOS; $nscen runs, ~${est}s of load in total"
for server in "${SERVER_LIST[@]}"; do
  my_scenarios "$server"
  if (( ${#MY_PLAIN[@]} + ${#MY_TLS[@]} == 0 )); then
    log "$server runs none of the scenarios asked for"
    record_info "$server" "not applicable" "runs none of: $SCENARIOS"
    continue
  fi
  (( ${#MY_PLAIN[@]} )) && bench_server "$server" "${MY_PLAIN[@]}"
  (( ${#MY_TLS[@]} )) && bench_server_tls "$server" "${MY_TLS[@]}"
done
record_meta load-average-at-end "$(cut -d' ' -f1-3 /proc/loadavg)"

# --------------------------------------------------------------------------- 5. report
"$PYTHON" "$BENCH_DIR/benchutil.py" report "$OUT" "$SCENARIOS" "$SERVERS" "$ERR_PCT"
log "written: $OUT/results.md, $OUT/results.csv, $OUT/results-runs.csv (wrk outputs and server logs in $LOGS)"
