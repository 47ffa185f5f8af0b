#!/usr/bin/env bash
# Quick profile: every benchmark of RESULTS.md once, short iterations, with -prof gc, on one JDK.
#   benchmarks/run-quick.sh                                                  # the java on PATH
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java benchmarks/run-quick.sh  # another JDK (harness and forks)
# Writes results/quick-jdkN.json (JMH JSON) and results/quick-jdkN.meta (duration; sampled every 15 s, the cores
# other processes kept busy, which decides report.py's smoke label, and the load average), then regenerates RESULTS.md from every results/quick-jdk*.json present, one column per JDK in its
# goals table. Estimated 11–13 minutes per JDK on 2 cores (102 rows of 5 s, plus fork start-ups and the drain's
# set-ups; it prints how long it took). Extra arguments go to JMH.
set -euo pipefail
cd "$(dirname "$0")"

JAVA="${JAVA:-java}"
JAR=target/benchmarks.jar
if [[ ! -f "$JAR" ]]; then
  (cd .. && ./mvnw -q -B -pl benchmarks -am package -DskipTests)
fi
mkdir -p results
MAJOR=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
OUT="results/quick-jdk${MAJOR}"
START=$(date +%s)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')

LOADS="$OUT.loads"
: > "$LOADS"
# every 15 s: the cores that processes outside this script's tree kept busy, and the load average (report.py)
python3 report.py --sample-other-cpu $$ "$LOADS" 15 &
SAMPLER=$!
trap 'kill "$SAMPLER" 2>/dev/null || true' EXIT

COMMON=(-wi 2 -w 1s -i 3 -r 1s -prof gc -rf json -foe true)  # -foe: a failed tear-down check fails the script
# Everything but the two-thread group and the drain: one fork each (the groups are tight, or read as medians).
# The two Netty end-to-end groups (NettyConnect, NettyAccept) run on real loopback sockets, three rows each; the
# Embedded groups are the same handlers without the kernel.
"$JAVA" -jar "$JAR" 'io.halfopen.benchmarks.(Uncontended|SaturatedHandoff|SaturatedHandoffJuc|Cancellation|WholeAttempt|Micrometer|PolicyAttempt|EmbeddedConnect|EmbeddedAccept|NettyConnect|NettyAccept)Benchmark' \
  -f 1 "${COMMON[@]}" -rff "$OUT-1.json" "$@"
# The two-thread group moves between forks: two forks even in the quick profile.
"$JAVA" -jar "$JAR" 'io.halfopen.benchmarks.TwoThreadBenchmark' \
  -f 2 "${COMMON[@]}" -rff "$OUT-2.json" "$@"
# The drain is single shot (a million grants per iteration): its own iteration counts.
"$JAVA" -jar "$JAR" 'io.halfopen.benchmarks.DrainBenchmark' \
  -f 1 -wi 2 -i 3 -prof gc -rf json -foe true -rff "$OUT-3.json" "$@"

kill "$SAMPLER" 2>/dev/null || true
SECONDS_TAKEN=$(( $(date +%s) - START ))
python3 - "$OUT.meta" "$LOADS" "$STARTED" "$SECONDS_TAKEN" <<'EOF'
import json, sys
out, loads, started, seconds = sys.argv[1:]
with open(loads) as source:
    samples = [line.split() for line in source if line.strip()]
with open(out, "w") as sink:
    json.dump({"started": started, "seconds": int(seconds), "other_cores": [float(s[0]) for s in samples],
               "loads": [float(s[1]) for s in samples]}, sink, indent=2)
EOF
rm -f "$LOADS"
python3 report.py --merge "$OUT.json" "$OUT-1.json" "$OUT-2.json" "$OUT-3.json"
rm -f "$OUT-1.json" "$OUT-2.json" "$OUT-3.json"
python3 report.py results/quick-jdk*.json > RESULTS.md
echo "wrote benchmarks/$OUT.json and benchmarks/RESULTS.md in ${SECONDS_TAKEN} s"
