"""Specifies report.py's smoke label and goal verdicts: python3 -m unittest discover -s benchmarks -p 'test_report.py'."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402


def meta(other_cores=None, loads=None):
    found = {"started": "2026-12-01 21:00 UTC", "seconds": 600}
    if other_cores is not None:
        found["other_cores"] = other_cores
    if loads is not None:
        found["loads"] = loads
    return found


class SmokeLabelTest(unittest.TestCase):

    def test_a_run_whose_own_threads_raise_the_load_is_not_a_smoke_run(self):
        # the quiet run of 54b2f9e: load 5.0-5.3 from the JUC rows' 20 threads, nothing else running
        text, busy = report.describe_run(meta(other_cores=[0.02, 0.05, 0.11], loads=[2.0, 5.3, 4.1]))
        self.assertFalse(busy)
        self.assertIn("other processes' CPU 0.02–0.11 cores", text)
        self.assertNotIn("Smoke run", report.report([], False, "today", {"17": meta([0.1], [5.3])}))

    def test_other_processes_above_half_a_core_in_any_sample_make_a_smoke_run(self):
        _, busy = report.describe_run(meta(other_cores=[0.0, 0.6, 0.0], loads=[1.0, 1.0, 1.0]))
        self.assertTrue(busy)
        entries = [{"jdkVersion": "17.0.1", "benchmark": "io.halfopen.benchmarks.X.y", "params": {},
                    "primaryMetric": {"score": 1.0, "scoreUnit": "ns/op", "rawData": [[1.0]]}, "mode": "avgt"}]
        self.assertIn("Smoke run", report.report(entries, False, "today", {"17": meta([0.6], [1.0])}))

    def test_a_meta_without_cpu_samples_is_judged_by_its_load_as_before(self):
        self.assertTrue(report.describe_run(meta(loads=[2.5]))[1])
        self.assertFalse(report.describe_run(meta(loads=[1.5]))[1])
        self.assertIsNone(report.describe_run(None)[1])

    def test_the_other_cores_are_the_machine_busy_time_minus_the_tree_s(self):
        # 1000 ticks busy on the machine, 900 of them the tree's, over 2 s at 100 ticks/s: 0.5 cores
        self.assertAlmostEqual(0.5, report.other_cores((0, 0), (1000, 900), 2.0, 100))
        self.assertEqual(0.0, report.other_cores((0, 0), (100, 150), 1.0, 100), "never negative")

    def test_a_process_s_cpu_counts_in_its_tree_and_not_in_another_tree(self):
        # a child that burns 0.5 s of CPU (its own CPU clock, so the machine's load does not matter)
        ticks = os.sysconf("SC_CLK_TCK")
        burn = [sys.executable, "-c", "import time\nwhile time.process_time() < 0.5: pass"]
        sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        try:
            mine, others, busy = report.tree_jiffies(os.getpid()), report.tree_jiffies(sleeper.pid), \
                report.busy_jiffies()
            subprocess.run(burn, check=True)  # reaped: its time is now in this process's cutime
            self.assertGreaterEqual(report.tree_jiffies(os.getpid()) - mine, 0.45 * ticks, "counted in its tree")
            self.assertLess(report.tree_jiffies(sleeper.pid) - others, 0.1 * ticks, "not in another tree")
            self.assertGreaterEqual(report.busy_jiffies() - busy, 0.45 * ticks, "and in the machine's")
        finally:
            sleeper.kill()
            sleeper.wait()


def row(cls, method, score, alloc=None, unit="ns/op", **params):
    entry = {"jdkVersion": "17.0.1", "benchmark": "io.halfopen.benchmarks.%s.%s" % (cls, method),
             "params": {k: str(v) for k, v in params.items()}, "mode": "avgt",
             "primaryMetric": {"score": score, "scoreUnit": unit, "rawData": [[score]]}}
    if alloc is not None:
        entry["secondaryMetrics"] = {"·gc.alloc.rate.norm": {"score": alloc}}
    return entry


def embedded(none_b, passing_b, handler_b):
    return [row("EmbeddedConnectBenchmark", "connectAndClose", 700, none_b, handler="NONE"),
            row("EmbeddedConnectBenchmark", "connectAndClose", 720, passing_b, handler="PASS_THROUGH"),
            row("EmbeddedConnectBenchmark", "connectAndClose", 1300, handler_b, handler="HALF_OPEN_LIMIT")]


class GoalVerdictTest(unittest.TestCase):

    def verdict_of(self, entries, what):
        found = [(figure, met) for w, _, figure, met in report.goal_rows(entries) if what in w]
        self.assertEqual(1, len(found), found)
        return found[0]

    def test_a_handler_is_judged_beyond_the_path_without_it_not_beyond_a_pass_through_handler(self):
        # 288 B beyond PASS_THROUGH, but 376 B beyond NONE: the goal's "path without it" is NONE
        figure, met = self.verdict_of(embedded(1536, 1624, 1912), "HalfOpenLimitHandler")
        self.assertEqual("not met", met)
        self.assertIn("+376 B per op beyond NONE", figure)
        self.assertIn("any handler's context, +20.0 ns, +88.0 B", figure)
        self.assertEqual("**met**", self.verdict_of(embedded(1536, 1624, 1836), "HalfOpenLimitHandler")[1])

    def test_a_goal_in_bytes_without_a_gc_profile_is_not_judged_met(self):
        self.assertEqual("n/a", self.verdict_of(embedded(None, None, None), "HalfOpenLimitHandler")[1])
        whole = [row("WholeAttemptBenchmark", "limiterSystemScheduler", 100.0)]
        self.assertEqual("n/a", self.verdict_of(whole, "whole attempt")[1])
        self.assertEqual("not met", self.verdict_of([row("WholeAttemptBenchmark", "limiterSystemScheduler", 151.0)],
                                                    "whole attempt")[1], "a part measured and failed decides")

    def test_a_re_measurement_is_named_in_the_run_line_and_judged_for_load_too(self):
        again = {"classes": ["EmbeddedConnectBenchmark"], "started": "2026-12-02 05:40 UTC", "commit": "abc1234",
                 "seconds": 150, "other_cores": [0.0, 0.9]}
        text, busy = report.describe_run(dict(meta([0.0], [1.0]), remeasured=[again]))
        self.assertIn("re-measured `EmbeddedConnectBenchmark` on 2026-12-02 05:40 UTC at commit abc1234", text)
        self.assertTrue(busy, "a busy re-measurement makes the report a smoke run")
        quiet_again = dict(again, other_cores=[0.0, 0.1])
        self.assertTrue(report.describe_run(dict(meta([0.0, 1.9], [1.0]), remeasured=[quiet_again]))[1],
                        "a quiet re-measurement does not make a busy run quiet")
        self.assertFalse(report.describe_run(dict(meta([0.0, 0.1], [1.0]), remeasured=[quiet_again]))[1])

    def test_replace_in_swaps_the_rows_of_the_re_measured_classes_only(self):
        import json
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            base, new = os.path.join(d, "full-jdk17.json"), os.path.join(d, "full-jdk17-1.json")
            with open(base, "w") as f:
                json.dump(embedded(1, 2, 3) + [row("WholeAttemptBenchmark", "bareSemaphore", 10.0)], f)
            with open(new, "w") as f:
                json.dump([row("EmbeddedConnectBenchmark", "connectAndClose", 999, 7, handler="NONE")], f)
            subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "report.py"), "--replace-in",
                            base, new], check=True)
            with open(base) as f:
                merged = json.load(f)
        self.assertEqual(["WholeAttemptBenchmark", "EmbeddedConnectBenchmark"],
                         [report.split_name(e["benchmark"])[0] for e in merged])
        self.assertEqual(999, merged[1]["primaryMetric"]["score"])

    def test_the_run_line_names_the_commit_measured(self):
        self.assertIn("at commit 9252f71", report.describe_run(dict(meta([0.0], [1.0]), commit="9252f71"))[0])


if __name__ == "__main__":
    unittest.main()
