#!/usr/bin/env bash
# Fuzzes the server's request path for SECONDS (default 60) with Jazzer (libFuzzer for the JVM):
# raw bytes through a real HttpServer on 127.0.0.1 (see "Fuzzing" in README.md).
#
#   bash .ci/fuzz.sh [SECONDS]
#
# Needs the project's jars in ~/.m2 first (`./mvnw -B -q install -DskipTests` at the root). Builds
# the standalone fuzz project (fuzz/pom.xml), runs the seed corpus (fuzz/corpus, never written) and
# then new inputs, with the dictionary fuzz/http.dict; new corpus entries go to a temporary directory
# (or to $FUZZ_CORPUS_OUT when set, to keep them between runs). Prints the number of executions;
# exits non-zero on any finding, whose input is copied to fuzz/target/fuzz-findings/.
# FUZZ_KNOWN="kind;kind~text" (e.g. header-ctl) counts known findings instead of stopping on them.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: bash .ci/fuzz.sh [SECONDS]   (SECONDS: a positive whole number; default 60)" >&2
  exit 2
fi

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
work="$(mktemp -d "${TMPDIR:-/tmp}/http-server-fuzz.XXXXXX")"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "fuzz: building fuzz/ (the server jars come from ~/.m2: ./mvnw -B -q install -DskipTests first)"
if ! ./mvnw -q -B -f fuzz/pom.xml package; then
  echo "fuzz: the build of fuzz/ failed" >&2
  exit 2
fi
cp="fuzz/target/classes:$(cat fuzz/target/fuzz.classpath)"

corpus="${FUZZ_CORPUS_OUT:-$work/corpus}"
mkdir -p "$corpus" "$work/artifacts" "$work/reproducers" "$work/server"
log="$work/jazzer.log"

echo "fuzz: running Jazzer for ${seconds} s (seed corpus fuzz/corpus, new inputs in $corpus)"
# Netty's leak detector at paranoid (the target also refuses to start without it); a 1 GiB heap.
# Coverage comes from the server and Netty's codecs; the harness itself is not instrumented.
"$java" -Xmx1g -XX:+UseParallelGC \
  -Dio.netty.leakDetection.level=paranoid -Dio.netty.leakDetection.targetRecords=4 \
  -Dfuzz.workdir="$work/server" -Dfuzz.known="${FUZZ_KNOWN:-}" \
  -cp "$cp" com.code_intelligence.jazzer.Jazzer \
  --target_class=dev.httpserver.fuzz.HttpRequestFuzzer \
  --instrumentation_includes='dev.httpserver.**:io.netty.handler.codec.**' \
  --instrumentation_excludes='dev.httpserver.fuzz.**' \
  --reproducer_path="$work/reproducers" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=140000 \
  -dict=fuzz/http.dict -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" \
  "$corpus" fuzz/corpus \
  > >(grep --line-buffered -v -e 'Loaded [0-9]* hooks from ' -e 'Instrumented .*(took ' \
        -e 'Sharing is only supported for boot loader classes' | tee "$log") 2>&1 &
pid=$!
started=$SECONDS
wait "$pid"
rc=$?
elapsed=$((SECONDS - started))
pid=""
sleep 0.2 # let the output filter finish

execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
if [ -z "$execs" ]; then
  execs="$(sed -n 's/^#\([0-9][0-9]*\)[[:space:]]*DONE.*/\1/p' "$log" | tail -n 1)"
fi
new_units="$(find "$corpus" -type f | wc -l | tr -d ' ')"
echo "fuzz: ${execs:-0} executions in ${elapsed} s (${rate:-?}/s, Jazzer's average); $new_units inputs in $corpus"

findings=("$work"/artifacts/*)
if [ -e "${findings[0]}" ]; then
  dest="fuzz/target/fuzz-findings/$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$dest"
  cp "$work"/artifacts/* "$dest"/
  cp "$log" "$dest"/jazzer.log
  echo "fuzz: FINDING (exit code $rc); inputs saved in $dest:" >&2
  ls -1 "$dest" >&2
  echo "fuzz: replay one with:" >&2
  echo "  java -cp \"fuzz/target/classes:\$(cat fuzz/target/fuzz.classpath)\" dev.httpserver.fuzz.Replay $dest/<file>" >&2
  exit 1
fi
if [ "$rc" -ne 0 ]; then
  echo "fuzz: Jazzer failed (exit code $rc) without saving an input; see the output above" >&2
  exit 1
fi
echo "fuzz: no finding"
