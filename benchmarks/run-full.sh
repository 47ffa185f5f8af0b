#!/usr/bin/env bash
# Full profile: the settings of shared/research/anchors.md, with 6 forks where runs move between forks
# (the two-thread group, and the saturated group whose fair-JUC baseline is bimodal at holdTokens 0 and 100).
# About 33 minutes on 2 cores. Run it on a quiet machine. Writes results/full.json and RESULTS-full.md
# (RESULTS.md keeps the latest quick-profile table).
# Extra arguments go to JMH, e.g. ./run-full.sh -jvm /path/to/jdk-25/bin/java
set -euo pipefail
cd "$(dirname "$0")"

JAR=target/benchmarks.jar
if [[ ! -f "$JAR" ]]; then
  (cd .. && ./mvnw -q -B -pl benchmarks -am package -DskipTests)
fi
mkdir -p results

COMMON=(-wi 3 -w 1s -i 5 -r 1s -prof gc -rf json -foe true)  # -foe: a failed tear-down check fails the script
java -jar "$JAR" 'io.halfopen.benchmarks.(Uncontended|Cancellation|WholeAttempt|Micrometer|PolicyAttempt|NettyConnect|NettyAccept)Benchmark' \
  -f 2 "${COMMON[@]}" -rff results/full-1.json "$@"
java -jar "$JAR" 'io.halfopen.benchmarks.TwoThreadBenchmark' \
  -f 6 "${COMMON[@]}" -rff results/full-2.json "$@"
java -jar "$JAR" 'io.halfopen.benchmarks.SaturatedHandoffBenchmark' -p holdTokens=0,100 \
  -f 6 "${COMMON[@]}" -rff results/full-3.json "$@"

python3 report.py --merge results/full.json results/full-1.json results/full-2.json results/full-3.json
rm -f results/full-1.json results/full-2.json results/full-3.json
python3 report.py results/full.json > RESULTS-full.md
echo "wrote benchmarks/results/full.json and benchmarks/RESULTS-full.md"
