#!/usr/bin/env python3
"""Turns JMH JSON results into benchmarks/RESULTS.md (standard library only).

Usage:
  python3 report.py [--smoke] [--date YYYY-MM-DD] results/quick.json [more.json ...] > RESULTS.md
  python3 report.py --merge OUT.json part1.json part2.json ...   # concatenates JMH result lists

Every ratio is taken against a baseline measured in the same run (same JSON input, same other params):
  UncontendedBenchmark, TwoThreadBenchmark  score / score of type=FLOOR        (ns/op: lower is better)
  SaturatedHandoffBenchmark                 score / score of type=JUC_FAIR     (ops/s: higher is better),
                                            also as a ratio of per-iteration medians (fair JUC is bimodal)
  CancellationBenchmark                     score / score of semaphoreEnqueueCancel
  WholeAttemptBenchmark                     score / score of bareSemaphore
  MicrometerBenchmark                       score / score of registry=NONE
  PolicyAttemptBenchmark                    score / score of policy=xp
  NettyConnectBenchmark, NettyAcceptBenchmark  score / score of handler=NONE, also as the overhead in time,
                                            a ratio of per-iteration medians (these ops wait on other
                                            threads and move a lot) and extra bytes per op (row minus NONE)
"""

import argparse
import datetime
import json
import os
import statistics
import sys

# class -> (kind, key, value): the row every other row of that class is divided by
BASELINES = {
    "UncontendedBenchmark": ("param", "type", "FLOOR"),
    "TwoThreadBenchmark": ("param", "type", "FLOOR"),
    "SaturatedHandoffBenchmark": ("param", "type", "JUC_FAIR"),
    "CancellationBenchmark": ("method", None, "semaphoreEnqueueCancel"),
    "WholeAttemptBenchmark": ("method", None, "bareSemaphore"),
    "MicrometerBenchmark": ("param", "registry", "NONE"),
    "NettyConnectBenchmark": ("param", "handler", "NONE"),
    "NettyAcceptBenchmark": ("param", "handler", "NONE"),
    "PolicyAttemptBenchmark": ("param", "policy", "xp"),
}

# classes whose rows are a handler's overhead over the same pipeline without it: extra overhead columns
OVERHEAD = {"NettyConnectBenchmark", "NettyAcceptBenchmark"}

ORDER = ["UncontendedBenchmark", "TwoThreadBenchmark", "SaturatedHandoffBenchmark", "CancellationBenchmark",
         "WholeAttemptBenchmark", "MicrometerBenchmark", "PolicyAttemptBenchmark", "NettyConnectBenchmark",
         "NettyAcceptBenchmark"]

NOTES = {
    "UncontendedBenchmark": "1 thread, 10 permits, nothing waits; ns per acquire+release. "
                            "Target: QUEUEING_SEMAPHORE ≤ 1.1× FLOOR, 0 B/op.",
    "TwoThreadBenchmark": "2 threads share one instance, 10 permits, nothing waits; per-thread ns/op "
                          "(total throughput = 2 / score). Moves 10–30 % between forks: trust only same-run "
                          "ratios over ≥ 6 forks. Stretch target: QUEUEING_SEMAPHORE ≤ 1.25× FLOOR, ahead of "
                          "every anchor, 0 B/op.",
    "SaturatedHandoffBenchmark": "2 threads, each keeping `limit` attempts outstanding; ops/s summed over both "
                                 "threads (higher is better). Fair JUC at hold 0 is bimodal between iterations: "
                                 "read the median columns. JUC_NONFAIR barges (not FIFO, not a target). "
                                 "Stretch target: QUEUEING_SEMAPHORE ≥ 10× JUC_FAIR's median, strictly FIFO.",
    "CancellationBenchmark": "Every permit held; one op = a waiter queues then cancels, plus 1/64 of a release "
                             "that skips the cancelled cells. ns/op.",
    "WholeAttemptBenchmark": "One op = newAttempt (granted at once) + established(); what a connect pays the "
                             "limiter, and what its half-open timer costs. ns/op.",
    "MicrometerBenchmark": "One op = newAttempt (granted at once) + established(), with the system ticker and no "
                           "half-open timer, so that only the metrics differ; ns/op. NONE: no binder; SIMPLE and "
                           "PROMETHEUS: `HalfOpenLimiterMetrics` bound to a `SimpleMeterRegistry` or a "
                           "`PrometheusMeterRegistry` (its two timers record every attempt into percentile "
                           "histograms; gauges and counters cost nothing until scraped).",
    "PolicyAttemptBenchmark": "One op = a whole attempt through the limiter on a VirtualClock (newAttempt, granted "
                              "at once, + established()) then 1 µs of virtual time, under each registry policy "
                              "with parameters that let it go at once, to one known destination; ns/op and B/op "
                              "beside XP's cap (policy=xp).",
    "NettyConnectBenchmark": "One op = a NIO connect to a loopback server until its future completes, then close "
                             "(SO_LINGER 0) until that completes; ns/op. HALF_OPEN_LIMIT: `HalfOpenLimitHandler` on "
                             "`HalfOpenLimiter.xpSp2()` (a real 21 s half-open timer per connect); "
                             "HALF_OPEN_LIMIT_NO_TIMER: the same with a scheduler that arms nothing, to show what "
                             "that timer costs. Target (issue 5): HALF_OPEN_LIMIT ≤ 1.05× NONE (overhead ≤ 5 %).",
    "NettyAcceptBenchmark": "One op = a NIO connect to a loopback server that closes the child on channelActive, "
                            "until the client saw the close and the server's close listeners ran; ns/op. "
                            "SESSION_LIMIT: `InboundSessionLimitHandler` on `InboundSessionLimiter.xpProfessional()`; "
                            "every client is 127.0.0.1 (one computer) and ops run one at a time, so each op opens "
                            "and ends that computer's session (with its AutoDisconnect timer); "
                            "SESSION_LIMIT_NO_TIMER: the same with a scheduler that arms nothing. "
                            "Target (issue 6): SESSION_LIMIT ≤ 1.05× NONE (overhead ≤ 5 %).",
}


def fmt(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "n/a"
    if value != value or value in (float("inf"), float("-inf")):  # JMH writes "NaN" with one iteration
        return "n/a"
    magnitude = abs(value)
    if magnitude >= 1e9:
        return "%.2f G" % (value / 1e9)
    if magnitude >= 1e6:
        return "%.2f M" % (value / 1e6)
    if magnitude >= 1e4:
        return "%.1f k" % (value / 1e3)
    if magnitude >= 100:
        return "%.0f" % value
    if magnitude >= 10:
        return "%.1f" % value
    return "%.2f" % value


def fmt_ratio(value, base):
    if not value or not base:
        return "n/a"
    ratio = value / base
    return ("%.3f×" if ratio < 0.1 else "%.2f×") % ratio


def fmt_overhead(value, base):
    if not value or not base:
        return "n/a"
    return "%+.1f %%" % ((value / base - 1.0) * 100.0)


def fmt_extra_bytes(value, base):
    if value is None or base is None:
        return "n/a"
    return "%+.0f" % (value - base)


def fmt_bytes(value):
    if value is None:
        return "n/a"
    if abs(value) < 0.05:
        return "≈ 0 (%.1g)" % value
    return "%.1f" % value


def split_name(full):
    parts = full.split(".")
    return parts[-2], parts[-1]


def iterations(entry):
    return [score for fork in entry["primaryMetric"].get("rawData", []) for score in fork]


def alloc_norm(entry):
    for key, metric in entry.get("secondaryMetrics", {}).items():
        if key.lstrip("·") == "gc.alloc.rate.norm":
            return metric["score"]
    return None


def find_baseline(entry, entries):
    cls, method = split_name(entry["benchmark"])
    rule = BASELINES.get(cls)
    if rule is None:
        return None
    kind, key, value = rule
    params = entry.get("params", {})
    for other in entries:
        other_cls, other_method = split_name(other["benchmark"])
        if other_cls != cls:
            continue
        other_params = other.get("params", {})
        if kind == "param":
            if other_method == method and other_params.get(key) == value and all(
                    other_params.get(k) == v for k, v in params.items() if k != key):
                return other
        elif other_method == value and other_params == params:
            return other
    return None


def baseline_label(cls):
    rule = BASELINES.get(cls)
    if rule is None:
        return "baseline"
    kind, key, value = rule
    return "%s=%s" % (key, value) if kind == "param" else value


def machine():
    model, family, model_id, flags = "unknown", "?", "?", ""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                name, _, value = line.partition(":")
                name, value = name.strip(), value.strip()
                if name == "model name" and model == "unknown":
                    model = value
                elif name == "cpu family" and family == "?":
                    family = value
                elif name == "model" and model_id == "?":
                    model_id = value
                elif name == "flags" and not flags:
                    flags = "hypervisor" if "hypervisor" in value.split() else "bare metal"
    except OSError:
        pass
    return "%s (cpu family %s, model %s, %s), nproc %d" % (model, family, model_id, flags or "?",
                                                            os.cpu_count() or 0)


def row_label(entry):
    _, method = split_name(entry["benchmark"])
    params = entry.get("params", {})
    if not params:
        return method
    return "%s(%s)" % (method, ", ".join("%s=%s" % kv for kv in params.items()))


def section(cls, entries):
    out = ["## %s" % cls, ""]
    if cls in NOTES:
        out += [NOTES[cls], ""]
    saturated = cls == "SaturatedHandoffBenchmark"
    overhead = cls in OVERHEAD
    header = ["benchmark", "score ± error", "ratio to %s (same run)" % baseline_label(cls), "B/op",
              "forks × iterations", "fork means"]
    if saturated:
        header += ["median of iterations", "median ratio", "min – max"]
    if overhead:
        header += ["overhead (time)", "median ratio", "extra B/op"]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "---|" * len(header))
    for entry in entries:
        metric = entry["primaryMetric"]
        score, error, unit = metric["score"], metric.get("scoreError"), metric["scoreUnit"]
        base = find_baseline(entry, entries)
        ratio = fmt_ratio(score, base["primaryMetric"]["score"]) if base else "n/a"
        raw = metric.get("rawData", [])
        fork_means = " / ".join(fmt(statistics.mean(fork)) for fork in raw if fork)
        iters = iterations(entry)
        cells = [row_label(entry),
                 "%s ± %s %s" % (fmt(score), fmt(error), unit),
                 ratio,
                 fmt_bytes(alloc_norm(entry)),
                 "%d × %d" % (len(raw), len(raw[0]) if raw else 0),
                 fork_means]
        if saturated:
            median = statistics.median(iters) if iters else None
            base_iters = iterations(base) if base else []
            base_median = statistics.median(base_iters) if base_iters else None
            cells += [fmt(median),
                      fmt_ratio(median, base_median),
                      "%s – %s" % (fmt(min(iters)), fmt(max(iters))) if iters else "n/a"]
        if overhead:
            base_iters = iterations(base) if base else []
            cells += [fmt_overhead(score, base["primaryMetric"]["score"]) if base else "n/a",
                      fmt_ratio(statistics.median(iters) if iters else None,
                                statistics.median(base_iters) if base_iters else None),
                      fmt_extra_bytes(alloc_norm(entry), alloc_norm(base)) if base else "n/a"]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    return out


def report(entries, smoke, date):
    first = entries[0] if entries else {}
    out = ["# halfopen benchmark results", ""]
    if smoke:
        out += ["> **Smoke run on a busy machine, not a measurement.** It ran on 2 cores shared with other",
                "> builds: these numbers only prove that the benchmarks run and their checks pass. Regenerate",
                "> with `run-quick.sh` or `run-full.sh` on a quiet machine.", ""]
    out += ["Generated by `benchmarks/report.py` from JMH JSON; do not edit by hand.", "",
            "- **Machine:** %s" % machine(),
            "- **JDK:** %s, %s %s" % (first.get("jdkVersion", "?"), first.get("vmName", "?"),
                                      first.get("vmVersion", "?")),
            "- **JMH:** %s; warm-up %s × %s, measurement %s × %s (per benchmark: forks below)" % (
                first.get("jmhVersion", "?"), first.get("warmupIterations", "?"), first.get("warmupTime", "?"),
                first.get("measurementIterations", "?"), first.get("measurementTime", "?")),
            "- **Date:** %s" % date,
            "- **Ratio:** score ÷ the named baseline's score in the same run, same other parameters. For ns/op "
            "lower is better, for ops/s higher is better.",
            "- **B/op:** `gc.alloc.rate.norm` from `-prof gc` (n/a if the run had no `-prof gc`).", ""]
    by_class = {}
    for entry in entries:
        by_class.setdefault(split_name(entry["benchmark"])[0], []).append(entry)
    for cls in ORDER + sorted(c for c in by_class if c not in ORDER):
        if cls in by_class:
            out += section(cls, by_class[cls])
    return "\n".join(out)


def load(paths):
    entries = []
    for path in paths:
        with open(path) as source:
            entries += json.load(source)
    return entries


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+", help="JMH JSON files (-rf json)")
    parser.add_argument("--smoke", action="store_true", help="label the report as a smoke run, not a measurement")
    parser.add_argument("--date", default=None, help="date to print (default: today, UTC)")
    parser.add_argument("--merge", metavar="OUT", help="only concatenate the inputs into OUT")
    args = parser.parse_args()
    entries = load(args.inputs)
    if args.merge:
        with open(args.merge, "w") as out:
            json.dump(entries, out, indent=2)
        return 0
    date = args.date or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sys.stdout.write(report(entries, args.smoke, date) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
