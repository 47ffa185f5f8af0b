#!/usr/bin/env bash
# Quick profile: every benchmark once, short iterations, with -prof gc. About 7–8 minutes on 2 cores.
# Writes results/quick.json (JMH JSON) and regenerates RESULTS.md from it.
# Extra arguments go to JMH, e.g. ./run-quick.sh -jvm /path/to/jdk-25/bin/java
set -euo pipefail
cd "$(dirname "$0")"

JAR=target/benchmarks.jar
if [[ ! -f "$JAR" ]]; then
  (cd .. && ./mvnw -q -B -pl benchmarks -am package -DskipTests)
fi
mkdir -p results

COMMON=(-wi 2 -w 1s -i 3 -r 1s -prof gc -rf json -foe true)  # -foe: a failed tear-down check fails the script
# Everything but the two-thread group: one fork each (the groups are tight, or read as medians). The two Netty
# end-to-end groups (NettyConnect, NettyAccept) run on real loopback sockets, three rows each.
java -jar "$JAR" 'io.halfopen.benchmarks.(Uncontended|SaturatedHandoff|Cancellation|WholeAttempt|Micrometer|PolicyAttempt|NettyConnect|NettyAccept)Benchmark' \
  -f 1 "${COMMON[@]}" -rff results/quick-1.json "$@"
# The two-thread group moves between forks: two forks even in the quick profile.
java -jar "$JAR" 'io.halfopen.benchmarks.TwoThreadBenchmark' \
  -f 2 "${COMMON[@]}" -rff results/quick-2.json "$@"

python3 report.py --merge results/quick.json results/quick-1.json results/quick-2.json
rm -f results/quick-1.json results/quick-2.json
python3 report.py results/quick.json > RESULTS.md
echo "wrote benchmarks/results/quick.json and benchmarks/RESULTS.md"
