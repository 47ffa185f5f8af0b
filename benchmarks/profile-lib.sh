# Sourced by run-quick.sh and run-full.sh: what both profiles share. Not run on its own.
#   profile_begin NAME   builds the benchmarks jar (SKIP_BUILD=1: use the one there), sets JAVA (default: the java
#                        on PATH), JAR, OUT=results/NAME-jdkN, starts the CPU sampler
#   profile_end REPORT   writes OUT.meta (with the commit measured), merges OUT-<part>.json into OUT.json, then
#                        regenerates REPORT from every results/NAME-jdkN.json present (one column per JDK)
# Each profile writes its parts as "$OUT-1.json", "$OUT-2.json", ... (JMH -rff) between the two calls.

profile_begin() {
  PROFILE="$1"
  JAVA="${JAVA:-java}"
  JAR=target/benchmarks.jar
  if [[ "${SKIP_BUILD:-}" != 1 || ! -f "$JAR" ]]; then  # the jar measured is the commit's
    (cd .. && ./mvnw -q -B -pl benchmarks -am package -DskipTests)
  fi
  COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if ! git diff --quiet HEAD -- .. ':(exclude)RESULTS.md' ':(exclude)RESULTS-full.md' 2>/dev/null; then
    COMMIT="$COMMIT with uncommitted changes"
  fi
  mkdir -p results
  MAJOR=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
  OUT="results/${PROFILE}-jdk${MAJOR}"
  rm -f "$OUT"-[0-9]*.json
  START=$(date +%s)
  STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
  LOADS="$OUT.loads"
  : > "$LOADS"
  # every 15 s: the cores that processes outside this script's tree kept busy, and the load average (report.py)
  python3 report.py --sample-other-cpu $$ "$LOADS" 15 &
  SAMPLER=$!
  trap 'kill "$SAMPLER" 2>/dev/null || true' EXIT
  COMMON_TAIL=(-prof gc -rf json -foe true)  # -foe: a failed tear-down check fails the script
}

profile_end() {
  local report_file="$1"
  kill "$SAMPLER" 2>/dev/null || true
  SECONDS_TAKEN=$(( $(date +%s) - START ))
  python3 - "$OUT.meta" "$LOADS" "$STARTED" "$SECONDS_TAKEN" "$COMMIT" <<'PY'
import json, sys
out, loads, started, seconds, commit = sys.argv[1:]
with open(loads) as source:
    samples = [line.split() for line in source if line.strip()]
with open(out, "w") as sink:
    json.dump({"started": started, "seconds": int(seconds), "commit": commit,
               "other_cores": [float(s[0]) for s in samples],
               "loads": [float(s[1]) for s in samples]}, sink, indent=2)
PY
  rm -f "$LOADS"
  python3 report.py --merge "$OUT.json" "$OUT"-[0-9]*.json
  rm -f "$OUT"-[0-9]*.json
  local inputs=()
  local found
  for found in results/"$PROFILE"-jdk*.json; do  # the merged runs only, not a failed run's parts
    if [[ "$found" =~ ^results/$PROFILE-jdk[0-9]+\.json$ ]]; then
      inputs+=("$found")
    fi
  done
  python3 report.py "${inputs[@]}" > "$report_file.tmp"  # a failing report leaves the last one in place
  mv "$report_file.tmp" "$report_file"
  echo "wrote benchmarks/$OUT.json and benchmarks/$report_file in ${SECONDS_TAKEN} s"
}
