#!/usr/bin/env bash
# Full profile: every benchmark of the quick profile with the settings of shared/research/anchors.md
# (-wi 3 -w 1s -i 5 -r 1s), more forks where runs move between forks, on one JDK.
#   benchmarks/run-full.sh                                                  # the java on PATH
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java benchmarks/run-full.sh  # another JDK (harness and forks)
# Writes results/full-jdkN.json and results/full-jdkN.meta, then regenerates RESULTS.md (where the claims come
# from) from every results/full-jdkN.json present (one column per JDK in its goals table). RESULTS-quick.md keeps
# the quick profile.
# About 40 minutes per JDK on 2 cores; run it on a quiet machine. Extra arguments go to JMH.
#   ONLY='EmbeddedConnectBenchmark' benchmarks/run-full.sh   # re-measures those classes into the existing run
set -euo pipefail
cd "$(dirname "$0")"
source ./profile-lib.sh
profile_begin full

COMMON=(-wi 3 -w 1s -i 5 -r 1s "${COMMON_TAIL[@]}")
# The single-threaded and the handler groups are tight (CV about 1 %): two forks.
profile_run 1 "UncontendedBenchmark CancellationBenchmark WholeAttemptBenchmark MicrometerBenchmark
  PolicyAttemptBenchmark EmbeddedConnectBenchmark EmbeddedAcceptBenchmark NettyConnectBenchmark
  NettyAcceptBenchmark" -f 2 "${COMMON[@]}" "$@"
# The two-thread group moves 10-30 % between forks.
profile_run 2 TwoThreadBenchmark -f 4 "${COMMON[@]}" "$@"
# Fair JUC at hold 0 is bimodal from one iteration to the next (anchors.md): four forks, 20 iterations a row,
# read as medians beside the means. At hold 100 both sides are steady: two forks.
profile_run 3 "SaturatedHandoffBenchmark SaturatedHandoffJucBenchmark" -p holdTokens=0 -f 4 "${COMMON[@]}" "$@"
profile_run 4 "SaturatedHandoffBenchmark SaturatedHandoffJucBenchmark" -p holdTokens=100 -f 2 "${COMMON[@]}" "$@"
# The drain is single shot (a million grants per iteration): its own iteration counts.
profile_run 5 DrainBenchmark -f 2 -wi 3 -i 5 "${COMMON_TAIL[@]}" "$@"

profile_end RESULTS.md
