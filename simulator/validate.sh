#!/usr/bin/env bash
# The simulator's long validations (tag "long"): the XP and Little's-law checks over 2e5 simulated seconds and
# the random-constant-spread check at a larger scale. About a minute on 2 cores (see simulator/README.md).
#   bash simulator/validate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B "$@" -pl simulator -am verify -Dgroups=long -DexcludedGroups=awaits-policy \
  -Dtest='LongValidationTest' -Dsurefire.failIfNoSpecifiedTests=false
