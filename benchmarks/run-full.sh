#!/usr/bin/env bash
# Full profile: every benchmark of the quick profile with the settings of shared/research/anchors.md
# (-wi 3 -w 1s -i 5 -r 1s), more forks where runs move between forks, on one JDK.
#   benchmarks/run-full.sh                                                  # the java on PATH
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java benchmarks/run-full.sh  # another JDK (harness and forks)
# Writes results/full-jdkN.json and results/full-jdkN.meta, then regenerates RESULTS-full.md from every
# results/full-jdk*.json present (one column per JDK in its goals table). RESULTS.md keeps the quick profile.
# About 40 minutes per JDK on 2 cores; run it on a quiet machine. Extra arguments go to JMH.
set -euo pipefail
cd "$(dirname "$0")"
source ./profile-lib.sh
profile_begin full

COMMON=(-wi 3 -w 1s -i 5 -r 1s "${COMMON_TAIL[@]}")
# The single-threaded and the handler groups are tight (CV about 1 %): two forks.
"$JAVA" -jar "$JAR" 'io.halfopen.benchmarks.(Uncontended|Cancellation|WholeAttempt|Micrometer|PolicyAttempt|EmbeddedConnect|EmbeddedAccept|NettyConnect|NettyAccept)Benchmark' \
  -f 2 "${COMMON[@]}" -rff "$OUT-1.json" "$@"
# The two-thread group moves 10-30 % between forks.
"$JAVA" -jar "$JAR" 'io.halfopen.benchmarks.TwoThreadBenchmark' \
  -f 4 "${COMMON[@]}" -rff "$OUT-2.json" "$@"
# Fair JUC at hold 0 is bimodal from one iteration to the next (anchors.md): four forks, 20 iterations a row,
# read as medians beside the means. At hold 100 both sides are steady: two forks.
"$JAVA" -jar "$JAR" 'io.halfopen.benchmarks.SaturatedHandoff(Juc)?Benchmark' -p holdTokens=0 \
  -f 4 "${COMMON[@]}" -rff "$OUT-3.json" "$@"
"$JAVA" -jar "$JAR" 'io.halfopen.benchmarks.SaturatedHandoff(Juc)?Benchmark' -p holdTokens=100 \
  -f 2 "${COMMON[@]}" -rff "$OUT-4.json" "$@"
# The drain is single shot (a million grants per iteration): its own iteration counts.
"$JAVA" -jar "$JAR" 'io.halfopen.benchmarks.DrainBenchmark' \
  -f 2 -wi 3 -i 5 "${COMMON_TAIL[@]}" -rff "$OUT-5.json" "$@"

profile_end RESULTS-full.md
