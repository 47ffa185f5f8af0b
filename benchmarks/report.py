#!/usr/bin/env python3
"""Turns JMH JSON results into benchmarks/RESULTS.md (standard library only).

Usage:
  python3 report.py [--smoke] [--date YYYY-MM-DD] results/full-jdk17.json results/full-jdk25.json > RESULTS.md
  python3 report.py --merge OUT.json part1.json part2.json ...   # concatenates JMH result lists
  python3 report.py --replace-in OUT.json new1.json ...          # new rows replace OUT's rows of their classes

The inputs may come from several JDKs: the report has a goals table with one column per JDK, then one section per
JDK (its rows and baselines only ever from that JDK's run). A file OUT.meta beside OUT.json (run-quick.sh
writes it) gives the run's duration, the load average and the CPU that other processes took, both sampled every
15 s during it. A run during which other processes (anything but the run's own process tree: the script, the
JMH harness and its forks) kept more than OTHER_CPU_LIMIT cores busy in any sample is labelled a smoke test.
The load average does not decide it: the benchmarks' own threads (up to 20 in the like-for-like JUC rows) raise
it on a quiet machine. A meta from before the CPU sampling (loads only) falls back to "load above 2".

  python3 report.py --sample-other-cpu ROOT_PID OUT [SECONDS]   # the sampler run-quick.sh starts in the background

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
  EmbeddedConnectBenchmark, EmbeddedAcceptBenchmark  the same, against handler=NONE (no kernel)
  DrainBenchmark                            score / score of kind=SEMAPHORE (ns per grant)
  SaturatedHandoffJucBenchmark              (the like-for-like fair JUC baseline of the goals table: ours at a
                                            limit and hold over fairLimitN at the same hold)
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
    "EmbeddedConnectBenchmark": ("param", "handler", "NONE"),
    "EmbeddedAcceptBenchmark": ("param", "handler", "NONE"),
    "DrainBenchmark": ("param", "kind", "SEMAPHORE"),
}

# classes whose rows are a handler's overhead over the same pipeline without it: extra overhead columns
OVERHEAD = {"NettyConnectBenchmark", "NettyAcceptBenchmark", "EmbeddedConnectBenchmark", "EmbeddedAcceptBenchmark"}

ORDER = ["UncontendedBenchmark", "TwoThreadBenchmark", "SaturatedHandoffBenchmark", "CancellationBenchmark",
         "SaturatedHandoffJucBenchmark", "DrainBenchmark", "WholeAttemptBenchmark", "MicrometerBenchmark",
         "PolicyAttemptBenchmark", "EmbeddedConnectBenchmark", "EmbeddedAcceptBenchmark", "NettyConnectBenchmark",
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
    "SaturatedHandoffJucBenchmark": "Fair and non-fair JUC with the demand of SaturatedHandoffBenchmark's ticket "
                                    "lanes: 2 × limit parked threads for `limit` permits (fairLimitN, "
                                    "nonFairLimitN), each taking one permit, holding it `holdTokens`, releasing "
                                    "it; ops/s summed over the group. The like-for-like baseline of the hand-off "
                                    "goal (the goals table divides ours by fairLimitN at the same hold).",
    "DrainBenchmark": "1 M attempts queued behind 10 held slots, granted from one releasing thread; single shot, "
                      "ns per grant (grants/s = 10^9 / score). Goal: LIMITER_SYSTEM_SCHEDULER at least 2 M grants/s "
                      "(≤ 500 ns per grant).",
    "EmbeddedConnectBenchmark": "One op = a new EmbeddedChannel, its connect (held on its way to the transport "
                                "until the pipeline's connect returned, as a SYN-ACK comes later; no kernel), its "
                                "completion and close; ns/op. HALF_OPEN_LIMIT: `HalfOpenLimitHandler` on `xpSp2()` "
                                "(its real half-open timer, started on the channel's loop and cancelled); "
                                "_NO_TIMER: a scheduler that arms nothing. Goal: the handler's cost, the row minus "
                                "NONE, ≤ 1 µs and ≤ 300 B per connect; PASS_THROUGH shows what any handler costs.",
    "EmbeddedAcceptBenchmark": "One op = an accepted child's life without the kernel: a new EmbeddedChannel "
                               "(active at once, from one computer) and its close; ns/op. SESSION_LIMIT: `InboundSessionLimitHandler` on "
                               "`xpProfessional()`; _NO_TIMER: a scheduler that arms nothing. Goal: the row minus "
                               "NONE ≤ 300 B per accept.",
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
    if entry is None:
        return None
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


def jdk_major(entry):
    version = str(entry.get("jdkVersion", "?"))
    return version.split(".")[0] if version[:1].isdigit() else version


def find(entries, cls, method=None, **params):
    """The entry of class cls (and method, if given) whose params include every given one, or None."""
    for entry in entries:
        entry_cls, entry_method = split_name(entry["benchmark"])
        if entry_cls != cls or (method is not None and entry_method != method):
            continue
        entry_params = entry.get("params", {})
        if all(entry_params.get(k) == str(v) for k, v in params.items()):
            return entry
    return None


def score(entry):
    return entry["primaryMetric"]["score"] if entry else None


def median_score(entry):
    iters = iterations(entry) if entry else []
    return statistics.median(iters) if iters else None


def verdict(met):
    return "n/a" if met is None else ("**met**" if met else "not met")


def all_met(*conditions, unknown=False):
    """The verdict of a goal with several parts: not met if any part fails; n/a (not judged) if every part that was
    measured is met but one was not measured (a run without -prof gc has no B/op: never a pass)."""
    if not all(conditions):
        return verdict(False)
    return verdict(None if unknown else True)


def difference(a, b):
    return None if a is None or b is None else a - b


def signed(value):
    return "n/a" if value is None else ("+" if value >= 0 else "") + (fmt(value) if abs(value) >= 1 else "%.0f" % value)


def goal_rows(entries):
    """Issue 17's table for one JDK's entries: (what, goal, figure, verdict) per row."""
    rows = []
    timer = find(entries, "WholeAttemptBenchmark", "limiterSystemScheduler")
    no_timer = find(entries, "WholeAttemptBenchmark", "limiterNoTimer")
    bare = find(entries, "WholeAttemptBenchmark", "bareSemaphore")
    if timer:
        ns, b = score(timer), alloc_norm(timer)
        rows.append(("a whole attempt, real half-open timer (`WholeAttemptBenchmark.limiterSystemScheduler`)",
                     "≤ 150 ns, ≤ 100 B/op",
                     "%s ns, %s B/op (no timer %s ns, %s B; bare semaphore %s ns)" % (
                         fmt(ns), fmt_bytes(b), fmt(score(no_timer)), fmt_bytes(alloc_norm(no_timer)), fmt(score(bare))),
                     all_met(ns <= 150, b is None or b <= 100, unknown=b is None)))
    for limit, hold, kind, label in [(limit, hold, kind, label) for limit in ("1", "4", "10")
                                     for hold in ("0", "100")
                                     for kind, label in (("QUEUEING_SEMAPHORE", "ours"),
                                                         ("QUEUEING_SEMAPHORE_COMBINED", "ours, `releaseAndAcquire`"))]:
        ours = find(entries, "SaturatedHandoffBenchmark", "handoff", type=kind, limit=limit, holdTokens=hold)
        juc = find(entries, "SaturatedHandoffJucBenchmark", "fairLimit" + limit, holdTokens=hold)
        if ours and juc:
            ratio, median_ratio = score(ours) / score(juc), None
            if median_score(ours) and median_score(juc):
                median_ratio = median_score(ours) / median_score(juc)
            rows.append(("saturated hand-off, limit %s, hold %s, like for like (%s ÷ `fairLimit%s`)" % (
                limit, hold, label, limit), "≥ 10× fair JUC, strictly FIFO",
                "%s vs %s ops/s: %.2f× (medians %s)" % (fmt(score(ours)), fmt(score(juc)), ratio,
                                                       "%.2f×" % median_ratio if median_ratio else "n/a"),
                verdict(min(ratio, median_ratio or ratio) >= 10)))
    for cls, row, label, ns_goal in (
            ("EmbeddedConnectBenchmark", "HALF_OPEN_LIMIT", "`HalfOpenLimitHandler` per connect, no kernel", 1000),
            ("EmbeddedAcceptBenchmark", "SESSION_LIMIT", "`InboundSessionLimitHandler` per accept, no kernel",
             None)):
        with_handler, none = find(entries, cls, handler=row), find(entries, cls, handler="NONE")
        passing = find(entries, cls, handler="PASS_THROUGH")
        if with_handler and none:  # the goal's baseline: the same path without the handler (NONE)
            extra_ns = score(with_handler) - score(none)
            extra_b = difference(alloc_norm(with_handler), alloc_norm(none))
            split = ""
            if passing:  # what any handler costs (its context), and the rest
                split = "; beyond PASS_THROUGH (any handler's context, %s ns, %s B): %s ns, %s B" % (
                    signed(score(passing) - score(none)), signed(difference(alloc_norm(passing), alloc_norm(none))),
                    signed(score(with_handler) - score(passing)),
                    signed(difference(alloc_norm(with_handler), alloc_norm(passing))))
            goal = ("≤ 1 µs and ≤ 300 B beyond the path without it" if ns_goal
                    else "≤ 300 B beyond the path without it")
            rows.append(("%s (`%s`)" % (label, cls), goal,
                         "%s ns, %s B per op beyond NONE (%s ns, %s B)%s" % (
                             signed(extra_ns), signed(extra_b), fmt(score(none)), fmt_bytes(alloc_norm(none)), split),
                         all_met(extra_b is None or extra_b <= 300, ns_goal is None or extra_ns <= ns_goal,
                                 unknown=extra_b is None)))
    accept, accept_none = (find(entries, "NettyAcceptBenchmark", handler="SESSION_LIMIT"),
                           find(entries, "NettyAcceptBenchmark", handler="NONE"))
    if accept and accept_none:
        over = score(accept) / score(accept_none) - 1
        median_ratio = (median_score(accept) / median_score(accept_none)
                        if median_score(accept) and median_score(accept_none) else None)
        extra_b = (alloc_norm(accept) - alloc_norm(accept_none)
                   if alloc_norm(accept) is not None and alloc_norm(accept_none) is not None else None)
        rows.append(("`InboundSessionLimitHandler`, accept and close on loopback (`NettyAcceptBenchmark`)",
                     "≤ 5 %, ≤ 300 B/op",
                     "%+.1f %% (median %s), %s B/op" % (over * 100, "%.2f×" % median_ratio if median_ratio else "n/a",
                                                       "n/a" if extra_b is None else "%+.0f" % extra_b),
                     all_met(over <= 0.05, extra_b is None or extra_b <= 300, unknown=extra_b is None)))
    drain = find(entries, "DrainBenchmark", kind="LIMITER_SYSTEM_SCHEDULER")
    if drain:
        per_second = 1e9 / score(drain)
        rows.append(("granting 1 M queued waiters from one releasing thread (`DrainBenchmark`, real timers)",
                     "≥ 2 M grants/s",
                     "%s grants/s (no timer %s, bare semaphore %s)" % (
                         fmt(per_second),
                         fmt(1e9 / score(find(entries, "DrainBenchmark", kind="LIMITER_NO_TIMER")))
                         if find(entries, "DrainBenchmark", kind="LIMITER_NO_TIMER") else "n/a",
                         fmt(1e9 / score(find(entries, "DrainBenchmark", kind="SEMAPHORE")))
                         if find(entries, "DrainBenchmark", kind="SEMAPHORE") else "n/a"),
                     verdict(per_second >= 2e6)))
    return rows


# A run is a smoke test if, in any sample, processes outside its own tree kept more than this many cores busy.
OTHER_CPU_LIMIT = 0.5
# A meta without CPU samples (written before they were taken) is judged by its load average, as it was then.
OLD_LOAD_LIMIT = 2


def busy_jiffies(proc="/proc"):
    """The machine's busy CPU time since boot, in clock ticks: /proc/stat's first line minus idle and iowait."""
    with open(os.path.join(proc, "stat")) as source:
        fields = [int(value) for value in source.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal [guest guest_nice: already counted in user and nice]
    return sum(fields[:8]) - fields[3] - fields[4]


def tree_jiffies(root, proc="/proc"):
    """CPU time of the live processes in root's tree, each with its reaped children's (utime, stime, cutime,
    cstime): a child that ends moves its time into its parent's cutime/cstime, so the sum does not drop."""
    children = {}
    times = {}
    for name in os.listdir(proc):
        if not name.isdigit():
            continue
        try:
            with open(os.path.join(proc, name, "stat")) as source:
                text = source.read()
        except OSError:
            continue  # ended meanwhile
        fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) ": state ppid ...
        pid, ppid = int(name), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        times[pid] = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0)
        todo += children.get(pid, [])
    return total


def other_cores(before, after, seconds, ticks_per_second):
    """Cores kept busy by processes outside the tree between two (busy, tree) samples taken seconds apart."""
    busy = (after[0] - before[0]) - (after[1] - before[1])
    return max(0.0, busy / float(ticks_per_second) / seconds)


def sample_other_cpu(root, out, interval=15.0):
    """Appends one line per interval to out: the cores other processes kept busy, then the 1-min load average."""
    import time
    ticks = os.sysconf("SC_CLK_TCK")
    previous, previous_time = (busy_jiffies(), tree_jiffies(root)), time.monotonic()
    while os.path.exists("/proc/%d" % root):
        time.sleep(interval)
        now, now_time = (busy_jiffies(), tree_jiffies(root)), time.monotonic()
        with open("/proc/loadavg") as source:
            load = source.read().split()[0]
        with open(out, "a") as sink:
            sink.write("%.3f %s\n" % (other_cores(previous, now, now_time - previous_time, ticks), load))
        previous, previous_time = now, now_time


def load_meta(path):
    meta_path = (path[:-len(".json")] if path.endswith(".json") else path) + ".meta"
    try:
        with open(meta_path) as source:
            return json.load(source)
    except (OSError, ValueError):
        return None


def describe_run(meta):
    """The run's line for the header, and whether it ran on a busy machine (None if not recorded): busy if the run
    or any re-measurement of some of its classes was."""
    if not meta:
        return "load not recorded", None
    loads = meta.get("loads", [])
    others = meta.get("other_cores")
    text = "%s, %s s (%.1f min)" % (meta.get("started", "?"), meta.get("seconds", "?"),
                                   float(meta.get("seconds", 0)) / 60)
    if meta.get("commit"):
        text += ", at commit %s" % meta["commit"]
    if others:
        text += "; other processes' CPU %.2f–%.2f cores, mean %.2f over %d samples (busy above %.1f)" % (
            min(others), max(others), statistics.mean(others), len(others), OTHER_CPU_LIMIT)
    if loads:
        text += "; load average (1 min, the benchmarks' own threads included) %.2f–%.2f, mean %.2f" % (
            min(loads), max(loads), statistics.mean(loads))
    if others:
        busy = max(others) > OTHER_CPU_LIMIT
    elif loads:
        text += " (no CPU samples: judged by the load, busy above %d)" % OLD_LOAD_LIMIT
        busy = max(loads) > OLD_LOAD_LIMIT
    else:
        busy = None
    for again in meta.get("remeasured", []):
        again_others = again.get("other_cores") or []
        text += "; re-measured %s on %s at commit %s (%s s; other processes' CPU up to %s cores)" % (
            ", ".join("`%s`" % c for c in again.get("classes", [])), again.get("started", "?"),
            again.get("commit", "?"), again.get("seconds", "?"),
            "%.2f" % max(again_others) if again_others else "not recorded")
        if again_others and max(again_others) > OTHER_CPU_LIMIT:
            busy = True
    return text, busy


def report(entries, smoke, date, metas=None):
    metas = metas or {}
    by_jdk = {}
    for entry in entries:
        by_jdk.setdefault(jdk_major(entry), []).append(entry)
    jdks = sorted(by_jdk, key=lambda v: (not v.isdigit(), int(v) if v.isdigit() else 0, v))
    busy = [jdk for jdk in jdks if describe_run(metas.get(jdk))[1]]
    out = ["# halfopen benchmark results", ""]
    if smoke or busy:
        out += ["> **Smoke run on a busy machine, not a measurement%s.** It ran on 2 cores shared with other" % (
                    " (other processes busy during the run on JDK %s)" % ", ".join(busy) if busy and not smoke else ""),
                "> work: these numbers only prove that the benchmarks run and their checks pass. Regenerate",
                "> with `run-quick.sh` or `run-full.sh` on a quiet machine.", ""]
    first = entries[0] if entries else {}
    out += ["Generated by `benchmarks/report.py` from JMH JSON; do not edit by hand.", "",
            "- **Machine:** %s" % machine(),
            "- **JDKs:** %s" % "; ".join("%s (%s %s)" % (by_jdk[j][0].get("jdkVersion", "?"),
                                                         by_jdk[j][0].get("vmName", "?"),
                                                         by_jdk[j][0].get("vmVersion", "?")) for j in jdks),
            "- **JMH:** %s; warm-up %s × %s, measurement %s × %s (per benchmark: forks below)" % (
                first.get("jmhVersion", "?"), first.get("warmupIterations", "?"), first.get("warmupTime", "?"),
                first.get("measurementIterations", "?"), first.get("measurementTime", "?")),
            "- **Date:** %s" % date]
    for jdk in jdks:
        out.append("- **Run on JDK %s:** %s" % (jdk, describe_run(metas.get(jdk))[0]))
    out += ["- **Ratio:** score ÷ the named baseline's score in the same run, same other parameters. For ns/op "
            "lower is better, for ops/s higher is better.",
            "- **B/op:** `gc.alloc.rate.norm` from `-prof gc` (n/a if the run had no `-prof gc`).", ""]
    goals = {jdk: goal_rows(by_jdk[jdk]) for jdk in jdks}
    whats = []
    for jdk in jdks:
        for what, goal, _, _ in goals[jdk]:
            if (what, goal) not in whats:
                whats.append((what, goal))
    if whats:
        out += ["## Goals (issue 17), each beside its baseline from the same run", "",
                "| what | goal | " + " | ".join("JDK %s" % jdk for jdk in jdks) + " |",
                "|---|---|" + "---|" * len(jdks)]
        for what, goal in whats:
            cells = []
            for jdk in jdks:
                found = [(figure, met) for w, g, figure, met in goals[jdk] if (w, g) == (what, goal)]
                cells.append("%s: %s" % (found[0][1], found[0][0]) if found else "not run")
            out.append("| %s | %s | %s |" % (what, goal, " | ".join(cells)))
        out.append("")
    for jdk in jdks:
        if len(jdks) > 1:
            out += ["# JDK %s" % jdk, ""]
        by_class = {}
        for entry in by_jdk[jdk]:
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
    if len(sys.argv) >= 4 and sys.argv[1] == "--sample-other-cpu":
        sample_other_cpu(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]) if len(sys.argv) > 4 else 15.0)
        return 0
    parser.add_argument("inputs", nargs="+", help="JMH JSON files (-rf json)")
    parser.add_argument("--smoke", action="store_true", help="label the report as a smoke run, not a measurement")
    parser.add_argument("--date", default=None, help="date to print (default: today, UTC)")
    parser.add_argument("--merge", metavar="OUT", help="only concatenate the inputs into OUT")
    parser.add_argument("--replace-in", metavar="OUT",
                        help="only replace OUT's rows of every benchmark class in the inputs by the inputs' rows")
    args = parser.parse_args()
    if args.replace_in:
        with open(args.replace_in) as source:
            base = json.load(source)
        fresh = load(args.inputs)
        classes = {split_name(entry["benchmark"])[0] for entry in fresh}
        kept = [entry for entry in base if split_name(entry["benchmark"])[0] not in classes]
        with open(args.replace_in, "w") as out:
            json.dump(kept + fresh, out, indent=2)
        return 0
    entries = load(args.inputs)
    metas = {}
    for path in args.inputs:
        meta = load_meta(path)
        with open(path) as source:
            found = json.load(source)
        if meta and found:
            metas[jdk_major(found[0])] = meta
    if args.merge:
        with open(args.merge, "w") as out:
            json.dump(entries, out, indent=2)
        return 0
    date = args.date or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sys.stdout.write(report(entries, args.smoke, date, metas) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
