#!/usr/bin/env bash
# Builds examples/consumer (a service using http-server's installed artifacts) against each JUnit line
# the JUnit 5 extension supports, in both dependency orders, on each JDK at hand. Needs the artifacts
# installed first (./mvnw -B -q install -DskipTests). JDK_25 / JDK_21: their homes, when present.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jdk25=${JDK_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
jdk21=${JDK_21:-$(ls -d /usr/lib/jvm/*21* 2>/dev/null | head -n 1)}
# junit.version  profiles  JDK (17: the default java); "comparison" adds the MockWebServer and WireMock versions of three tests
matrix=(
  "5.10.5 junit-last 17"
  "5.11.4 junit-first 17"
  "5.12.2 junit-last 25"
  "5.13.4 junit-first 21"
  "5.14.4 junit-last 17"
  "6.1.3 junit-last,comparison 17"
  "6.1.3 junit-first 25"
)
status=0
for row in "${matrix[@]}"; do
  read -r junit profile jdk <<<"$row"
  home=${JAVA_HOME:-}
  case $jdk in
    25) home=$jdk25 ;;
    21) home=$jdk21 ;;
  esac
  if [ "$jdk" != 17 ] && [ ! -x "$home/bin/java" ]; then
    echo "consumer: JUnit $junit ($profile) on JDK $jdk: no JDK $jdk here, run on the default java" >&2
    home=${JAVA_HOME:-}
  fi
  echo "consumer: JUnit $junit, $profile, JDK $("${home:+$home/bin/}java" -version 2>&1 | head -n 1)"
  if ! JAVA_HOME=$home ./mvnw -B -q -f examples/consumer/pom.xml clean verify -Djunit.version="$junit" -P"$profile"; then
    echo "consumer: FAILED with JUnit $junit ($profile, JDK $jdk)" >&2
    status=1
  fi
done
exit "$status"
