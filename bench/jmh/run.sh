#!/usr/bin/env bash
# bench/jmh/run.sh -- builds and runs the JMH microbenchmarks of the API's hot functions.
# Arguments go to JMH (e.g. `bench/jmh/run.sh Listing -f 1 -wi 3 -i 5`); with none, every benchmark
# runs with a short default (1 fork, 3 warm-up and 5 measured iterations of 1 s).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
(cd "$root" && ./mvnw -q -B -DskipTests install -pl http-server-api -am)
(cd "$here" && "$root/mvnw" -q -B -DskipTests package)
if [ $# -eq 0 ]; then
  set -- -f 1 -wi 3 -w 1s -i 5 -r 1s
fi
exec java -jar "$here/target/benchmarks.jar" "$@"
