# bench/lib.sh -- helpers of bench/run.sh, sourced by it (not run on its own).
# They use run.sh's settings and state variables (OUT, LOGS, CORPUS, RUNS, PYTHON, BENCH_DIR,
# SERVER_PID, WRK_PID, SAMPLER_PID, CHURN_PID, ...), which run.sh sets before calling them.

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# --------------------------------------------------------------------------- processes
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

# --------------------------------------------------------------------------- listing-churn's folder changer
# start_churn SECONDS COUNTFILE: creates and deletes many/churn-N.txt in turn, as fast as it can,
# in the background (benchutil.py churn), for at most SECONDS; stop_churn ends it earlier.
start_churn() {
  local secs=$1 countf=$2
  rm -f "$countf" "$CORPUS"/many/churn-*.txt
  CHURN_T0=$(date +%s.%N)
  timeout -k 2 $(( secs + 5 )) "$PYTHON" "$BENCH_DIR/benchutil.py" churn "$CORPUS/many" "$secs" "$countf" \
    </dev/null >>"$LOGS/churn.log" 2>&1 &
  CHURN_PID=$!
  CHURN_COUNT=$countf
}

stop_churn() { # -> CHURN_RATE: folder changes per second over the loop's life (empty if unknown)
  [[ -n $CHURN_PID ]] || return 0
  local i t1 n
  CHURN_RATE=""
  # CHURN_PID is `timeout`, which passes SIGTERM on to the loop; the loop writes its count and leaves
  alive "$CHURN_PID" && kill -TERM "$CHURN_PID" 2>/dev/null
  for i in {1..50}; do alive "$CHURN_PID" || break; sleep 0.1; done
  alive "$CHURN_PID" && kill -KILL "$CHURN_PID" 2>/dev/null
  wait "$CHURN_PID" 2>/dev/null
  CHURN_PID=""
  t1=$(date +%s.%N)
  rm -f "$CORPUS"/many/churn-*.txt
  read -r n 2>/dev/null <"$CHURN_COUNT" || return 0
  CHURN_RATE=$(awk -v n="$n" -v a="$CHURN_T0" -v b="$t1" 'BEGIN { if (b > a) printf "%.0f", n / (b - a) }')
}

# --------------------------------------------------------------------------- 1. install
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

# --------------------------------------------------------------------------- 2. corpus
make_corpus() {
  mkdir -p "$CORPUS/many"
  rm -f "$CORPUS"/many/churn-*.txt   # left by an interrupted listing-churn
  local f size
  for f in 1k:1024 64k:65536 16m:16777216; do
    size=${f#*:}; f=$CORPUS/${f%%:*}.bin
    if [[ ! -f $f ]] || (( $(stat -c %s "$f") != size )); then
      head -c "$size" /dev/urandom >"$f"
    fi
  done
  f=$CORPUS/100k.txt   # compressible text for gzip-100k (always the same bytes)
  if [[ ! -f $f ]] || (( $(stat -c %s "$f") != 102400 )); then
    "$PYTHON" "$BENCH_DIR/benchutil.py" text100k "$f" || die "cannot write $f"
  fi
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

# --------------------------------------------------------------------------- 4. load: memory + results
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

record_empty() { # server scenario status conns dur: a run without figures (skipped, failed, not comparable)
  printf '%s\t%s\t%s\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>"$RUNS"
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
    record_empty "$server" "$scen" "$status" "$conns" "$dur"
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
