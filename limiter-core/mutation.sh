#!/usr/bin/env bash
# Mutation testing of the semaphore and the attempt's state machine with PIT (pitest-maven + pitest-junit5-plugin,
# versions in the root pom). Not part of .ci/run: it runs the unit, contract, property and semaphore-stress tests
# once per mutant (the Lincheck tests, ConservationStressTest, ShadowStressTest and the retention test are left
# out as too slow per mutant; they run in every normal build). 17-31 minutes on 2 busy cores.
#
# The default target set (limiter-core/pom.xml's properties targetClasses, targetTests, excludedTestClasses,
# threads) is the one measured in limiter-core/MUTATION.md, so this script gives that figure; -D overrides it:
#
#   limiter-core/mutation.sh                 # io.halfopen.policy.internal.*, DefaultConnectAttempt, GrantTrampoline,
#                                            # BlockingGrant, HalfOpenLimiter
#   limiter-core/mutation.sh -DtargetClasses='io.halfopen.policy.internal.*' -DtargetTests='io.halfopen.policy.internal.*'
#
# Reports: limiter-core/target/pit-reports/index.html and mutations.csv (one line per mutant, with its status).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -o -pl limiter-core -am test-compile -q
./mvnw -B -o -pl limiter-core org.pitest:pitest-maven:mutationCoverage "$@"
csv=limiter-core/target/pit-reports/mutations.csv
if [ -f "$csv" ]; then
  echo "mutants by status:"
  cut -d, -f6 "$csv" | sort | uniq -c
  echo "survivors (class, method, line, mutator):"
  awk -F, '$6 == "SURVIVED" || $6 == "NO_COVERAGE" {print "  " $2 " " $4 ":" $5 " " $3 " [" $6 "]"}' "$csv"
fi
