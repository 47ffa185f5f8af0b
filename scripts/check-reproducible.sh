#!/usr/bin/env bash
# check-reproducible.sh: builds the reactor twice from clean and compares every jar the build produced, byte
# for byte (SHA-256). project.build.outputTimestamp (root pom) fixes the time of every archive entry, and the
# javadoc is generated without a timestamp, so one commit must give the same bytes on every build.
#   usage: scripts/check-reproducible.sh [extra Maven args, e.g. -o]
# Exit status 1 if any jar differs or a jar is missing from one of the builds. Leaves target/ of the second build.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d -t halfopen-repro.XXXXXX)
trap 'rm -rf "$work"' EXIT

build() {
  ./mvnw -B -q "$@" clean package -DskipTests
  find . -path ./scripts -prune -o -path '*/target/*.jar' -print | sort | while read -r jar; do
    printf '%s  %s\n' "$(sha256sum "$jar" | cut -d' ' -f1)" "$jar"
  done
}

echo "check-reproducible: first build"
build "$@" > "$work/first.sha256"
echo "check-reproducible: second build"
build "$@" > "$work/second.sha256"

count=$(wc -l < "$work/first.sha256")
if [ "$count" -eq 0 ]; then
  echo "check-reproducible: the build produced no jars" >&2
  exit 1
fi
if ! diff -u "$work/first.sha256" "$work/second.sha256" > "$work/diff"; then
  echo "check-reproducible: the two builds differ:" >&2
  cat "$work/diff" >&2
  exit 1
fi
echo "check-reproducible: $count jars, identical in both builds:"
sed 's/^[0-9a-f]*  \.\//  /' "$work/first.sha256"
