#!/usr/bin/env bash
# Quick profile: every benchmark of the full profile (RESULTS.md) once, short iterations, with -prof gc, on one JDK.
#   benchmarks/run-quick.sh                                                  # the java on PATH
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java benchmarks/run-quick.sh  # another JDK (harness and forks)
# Writes results/quick-jdkN.json (JMH JSON) and results/quick-jdkN.meta (duration; sampled every 15 s, the cores
# other processes kept busy, which decides report.py's smoke label, and the load average), then regenerates
# RESULTS-quick.md from every results/quick-jdkN.json present, one column per JDK in its goals table. About 10 minutes
# per JDK on 2 cores (601 s and 593 s on the last quiet runs; it prints how long it took). Extra arguments go to JMH.
#   ONLY='EmbeddedConnectBenchmark' benchmarks/run-quick.sh   # re-measures those classes into the existing run
set -euo pipefail
cd "$(dirname "$0")"
source ./profile-lib.sh
profile_begin quick

COMMON=(-wi 2 -w 1s -i 3 -r 1s "${COMMON_TAIL[@]}")
# Everything but the two-thread group and the drain: one fork each (the groups are tight, or read as medians).
# The two Netty end-to-end groups (NettyConnect, NettyAccept) run on real loopback sockets, three rows each; the
# Embedded groups are the same handlers without the kernel.
profile_run 1 "UncontendedBenchmark SaturatedHandoffBenchmark SaturatedHandoffJucBenchmark CancellationBenchmark
  WholeAttemptBenchmark MicrometerBenchmark PolicyAttemptBenchmark EmbeddedConnectBenchmark EmbeddedAcceptBenchmark
  NettyConnectBenchmark NettyAcceptBenchmark" -f 1 "${COMMON[@]}" "$@"
# The two-thread group moves between forks: two forks even in the quick profile.
profile_run 2 TwoThreadBenchmark -f 2 "${COMMON[@]}" "$@"
# The drain is single shot (a million grants per iteration): its own iteration counts.
profile_run 3 DrainBenchmark -f 1 -wi 2 -i 3 "${COMMON_TAIL[@]}" "$@"

profile_end RESULTS-quick.md
