# Sourced by run-quick.sh and run-full.sh: what both profiles share. Not run on its own.
#   profile_begin NAME             builds the benchmarks jar (SKIP_BUILD=1: use the one there), sets JAVA (default:
#                                  the java on PATH), JAR, OUT=results/NAME-jdkN, starts the CPU sampler
#   profile_run PART "CLASSES" ... runs those benchmark classes (space-separated simple names) with the JMH
#                                  arguments that follow, into $OUT-PART.json; with ONLY set (a regex of class
#                                  names), only the classes it matches, and nothing if it matches none
#   profile_end REPORT             writes OUT.meta (with the commit measured) and OUT.json from the parts, then
#                                  regenerates REPORT from every results/NAME-jdkN.json present (one column per JDK)
# ONLY re-measures some classes after a change to them: their rows replace theirs in the existing OUT.json, and the
# re-measurement (commit, start, duration, classes) is added to OUT.meta, which the report prints.

profile_begin() {
  PROFILE="$1"
  JAVA="${JAVA:-java}"
  JAR=target/benchmarks.jar
  COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  # tracked or untracked changes outside the generated reports (results/ is ignored)
  if [[ -n "$(git status --porcelain -- .. ':(exclude)RESULTS.md' ':(exclude)RESULTS-quick.md' 2>/dev/null)" ]]; then
    COMMIT="$COMMIT with uncommitted changes"
  fi
  if [[ "${SKIP_BUILD:-}" != 1 || ! -f "$JAR" ]]; then  # the jar measured is the commit's
    (cd .. && ./mvnw -q -B -pl benchmarks -am package -DskipTests)
  else
    COMMIT="$COMMIT (jar not rebuilt: SKIP_BUILD=1)"
  fi
  mkdir -p results
  MAJOR=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
  OUT="results/${PROFILE}-jdk${MAJOR}"
  if [[ -n "${ONLY:-}" && ! -f "$OUT.json" ]]; then
    echo "ONLY=$ONLY re-measures classes of an existing run, and there is no $OUT.json" >&2
    exit 1
  fi
  rm -f "$OUT"-[0-9]*.json
  RAN=()
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

profile_run() {
  local part="$1" name names=()
  for name in $2; do
    if [[ -z "${ONLY:-}" || "$name" =~ ^(${ONLY})$ ]]; then
      names+=("$name")
    fi
  done
  shift 2
  if ((${#names[@]} == 0)); then
    return 0
  fi
  RAN+=("${names[@]}")
  local alternatives
  alternatives=$(IFS='|'; echo "${names[*]}")
  "$JAVA" -jar "$JAR" "^io\\.halfopen\\.benchmarks\\.(${alternatives})\\." "$@" -rff "$OUT-$part.json"
}

profile_end() {
  local report_file="$1"
  kill "$SAMPLER" 2>/dev/null || true
  SECONDS_TAKEN=$(( $(date +%s) - START ))
  if ((${#RAN[@]} == 0)); then
    echo "ONLY=${ONLY:-} matches no benchmark class of this profile" >&2
    exit 1
  fi
  python3 - "$OUT.meta" "$LOADS" "$STARTED" "$SECONDS_TAKEN" "$COMMIT" "${ONLY:-}" "${RAN[@]}" <<'PY'
import json, sys
out, loads, started, seconds, commit, only, *ran = sys.argv[1:]
with open(loads) as source:
    samples = [line.split() for line in source if line.strip()]
run = {"started": started, "seconds": int(seconds), "commit": commit,
       "other_cores": [float(s[0]) for s in samples], "loads": [float(s[1]) for s in samples]}
if only:
    with open(out) as source:
        meta = json.load(source)
    meta.setdefault("remeasured", []).append(dict(run, classes=ran))
else:
    meta = run
with open(out, "w") as sink:
    json.dump(meta, sink, indent=2)
PY
  rm -f "$LOADS"
  if [[ -n "${ONLY:-}" ]]; then
    python3 report.py --replace-in "$OUT.json" "$OUT"-[0-9]*.json
  else
    python3 report.py --merge "$OUT.json" "$OUT"-[0-9]*.json
  fi
  rm -f "$OUT"-[0-9]*.json
  local inputs=() found
  for found in results/"$PROFILE"-jdk*.json; do  # the merged runs only, not a failed run's parts
    if [[ "$found" =~ ^results/$PROFILE-jdk[0-9]+\.json$ ]]; then
      inputs+=("$found")
    fi
  done
  python3 report.py "${inputs[@]}" > "$report_file.tmp"  # a failing report leaves the last one in place
  mv "$report_file.tmp" "$report_file"
  echo "wrote benchmarks/$OUT.json and benchmarks/$report_file in ${SECONDS_TAKEN} s"
}
