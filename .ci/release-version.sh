#!/usr/bin/env bash
# Sets the project's version from a release tag, as the release workflow does before it tests, deploys
# and builds the image: v1.2.3 (or 1.2.3) makes 1.2.3 the version of the parent, of every module and of
# the BOM (which has no parent). Then checks that every published pom says it.
#
# Usage: .ci/release-version.sh v1.2.3     # last stdout line: VERSION=1.2.3
# MVN_ARGS (environment) goes to ./mvnw, e.g. MVN_ARGS="-o -Dmaven.repo.local=/path".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() { printf 'release-version: ERROR: %s\n' "$*" >&2; exit 1; }

tag=${1:-}
[ -n "$tag" ] || die "usage: $0 vMAJOR.MINOR.PATCH[-QUALIFIER]"
version=${tag#v}
# Maven Central takes no SNAPSHOT, and a version the image tag and a Maven range cannot both carry is
# refused here, before anything is built.
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z][0-9A-Za-z.]*)?$ ]] \
  || die "'$tag' is not vMAJOR.MINOR.PATCH or vMAJOR.MINOR.PATCH-QUALIFIER (letters, digits, dots)"
[[ $version != *SNAPSHOT* ]] || die "'$tag': a SNAPSHOT cannot be released to Maven Central"

# shellcheck disable=SC2086 # MVN_ARGS is a list of options
./mvnw -B -q ${MVN_ARGS:-} org.codehaus.mojo:versions-maven-plugin:2.25.2:set \
  -DnewVersion="$version" -DprocessAllModules=true -DgenerateBackupPoms=false

# Each pom of the reactor names the new version (the parent's own, the modules' <parent>, the BOM's own),
# and none still names a snapshot of this project.
for pom in pom.xml http-server-*/pom.xml it-tests/pom.xml; do
  grep -q "<version>$version</version>" "$pom" || die "$pom does not say version $version"
  if grep -n -- '-SNAPSHOT</version>' "$pom" >&2; then
    die "$pom still names a SNAPSHOT version"
  fi
done
echo "VERSION=$version"
