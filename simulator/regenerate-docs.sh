#!/usr/bin/env bash
# Regenerates the simulator README's tables and charts (simulator/docs/*.png, *.csv, *.json) from real runs.
# Deterministic: the same seeds give the same files. Takes about ten minutes on 2 cores.
#   bash simulator/regenerate-docs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B package -DskipTests -pl cli -am
cli() { java -jar cli/target/halfopen-cli.jar "$@"; }
out=simulator/docs

# The Sasser question: a Sasser-like worm (128 blocking threads, Sasser's address choice) across a population
# with the Internet's density of vulnerable hosts in 2004 (about 1e6 in 2^32), scaled to 1,000 in 2^22.
cli simulate worm --space-bits 22 --vulnerable 1000 --infected 5 --strategy sasser --threads 128 \
    --live-share 0.05 --policy 'unlimited;xp;halfOpenCap(maxHalfOpen=50)' --coverage 0.5,0.9,0.99,1 \
    --seed 1 --no-progress --out "$out" --name sasser | tee "$out/sasser.txt"

# The same worm and population against every other policy that holds first contacts (Williamson's throttle, the
# failure-rate and credit-based limiters, the threshold random walk scan detector), at the same coverages.
cli simulate worm --space-bits 22 --vulnerable 1000 --infected 5 --strategy sasser --threads 128 \
    --live-share 0.05 --policy 'unlimited;xp;williamson;failureRate;creditBased;thresholdRandomWalk' \
    --coverage 0.5,0.9,0.99,1 --seed 1 --no-progress --out "$out" --name sasser-policies \
    | tee "$out/sasser-policies.txt"

# One host: a desktop and a scanner on the same host, under XP's cap, a patched cap of 50, and no limit.
cli simulate host --workload 'desktop(rate=0.5)' --workload 'scanner(threads=128, rate=0, liveShare=0.05)' \
    --duration 1h --policy 'xp;halfOpenCap(maxHalfOpen=50);unlimited' --seed 1 --no-progress \
    --out "$out" --name desktop-and-worm | tee "$out/desktop-and-worm.txt"

# A parameter sweep: a mail server's burst of 2,000 deliveries, a fifth to dead MX hosts, at several caps.
cli simulate host --workload 'mail(deliveries=2000, deadShare=0.2)' --policy 'xp;unlimited' \
    --param maxHalfOpen=5,10,20,50 --seed 1 --no-progress --out "$out" --name mail-sweep | tee "$out/mail-sweep.txt"
