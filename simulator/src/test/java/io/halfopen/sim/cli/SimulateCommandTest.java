package io.halfopen.sim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@DisplayName("simulate: the command line")
class SimulateCommandTest {

    /** What one run printed, and how it exited. */
    record Run(int exitCode, String out, String err) {
    }

    static Run run(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine command = new CommandLine(new SimulateCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        final int exit = command.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @TempDir
    Path dir;

    @Nested
    @DisplayName("host")
    class Host {

        @Test
        @DisplayName("compares the default policies, xp and unlimited, on one workload in a table")
        void comparesPoliciesInATable() {
            final Run r = run("host", "--workload", "scanner(threads=128, rate=0, liveShare=0)", "--duration", "2100s",
                    "--no-progress");
            assertEquals(0, r.exitCode(), r.err());
            final List<String> lines = r.out().lines().toList();
            assertTrue(lines.get(0).startsWith("policy") && lines.get(0).contains("done/s")
                    && lines.get(0).contains("p99.9") && lines.get(0).contains("4226"), r.out());
            assertTrue(lines.get(2).startsWith("xp ") && lines.get(2).contains("0.476"), r.out());
            assertTrue(lines.get(3).startsWith("unlimited"), r.out());
        }

        @Test
        @DisplayName("--param sweeps a policy parameter: one row per value, policies without it once")
        void paramSweepsInOneTable() {
            final Run r = run("host", "--workload", "mail(deliveries=200, deadShare=0.2)", "--policy", "xp",
                    "--policy", "unlimited", "--param", "maxHalfOpen=5,10,50", "--no-progress");
            assertEquals(0, r.exitCode(), r.err());
            final List<String> rows = r.out().lines().skip(2).toList();
            assertEquals(4, rows.size(), r.out());
            assertTrue(rows.get(0).contains("maxHalfOpen=5") && rows.get(1).contains("maxHalfOpen=10")
                    && rows.get(2).contains("maxHalfOpen=50") && rows.get(3).startsWith("unlimited"), r.out());
        }

        @Test
        @DisplayName("--out writes CSV, JSON and a latency CDF chart; the same seed gives the same bytes")
        void reportsAreByteIdenticalForASeed() throws IOException {
            final String[] args = {"host", "--workload", "desktop(rate=2)", "--workload", "scanner(rate=20)",
                "--duration", "10m", "--seed", "7", "--no-progress", "--out", dir.toString()};
            final List<String> files = List.of("host.csv", "host.json", "host-latency.png");
            final Run a = run(args);
            assertEquals(0, a.exitCode(), a.err());
            final java.util.List<byte[]> first = new java.util.ArrayList<>();
            for (final String f : files) {
                first.add(Files.readAllBytes(dir.resolve(f)));
                Files.delete(dir.resolve(f));
            }
            final Run b = run(args);
            assertEquals(a.out(), b.out(), "the table");
            for (int i = 0; i < files.size(); i++) {
                assertArrayEquals(first.get(i), Files.readAllBytes(dir.resolve(files.get(i))), files.get(i));
            }
            assertTrue(Files.readString(dir.resolve("host.csv")).startsWith("policy,params,workload,stream,"));
            assertTrue(Files.readString(dir.resolve("host.json")).contains("\"rows\""));
            final Run c = run("host", "--workload", "desktop(rate=2)", "--workload", "scanner(rate=20)", "--duration",
                    "10m", "--seed", "8", "--no-progress");
            assertFalse(c.out().equals(a.out()), "another seed, another run");
        }

        @Test
        @DisplayName("--write-trace keeps the workload as a CSV trace, which --trace replays to the same table")
        void aWrittenTraceReplaysTheSameRun() {
            final Path trace = dir.resolve("t.csv");
            final Run a = run("host", "--workload", "mail(deliveries=300, deadShare=0.3)", "--policy", "xp",
                    "--write-trace", trace.toString(), "--no-progress");
            final Run b = run("host", "--trace", "csv:" + trace, "--policy", "xp", "--no-progress");
            assertEquals(0, b.exitCode(), b.err());
            assertEquals(a.out(), b.out());
        }

        @Test
        @DisplayName("bad input exits 2 with a message naming the bad value")
        void badInputIsNamed() {
            final Run unknownPolicy = run("host", "--workload", "desktop", "--policy", "noSuchThrottle(workingSet=5)");
            assertEquals(2, unknownPolicy.exitCode());
            assertTrue(unknownPolicy.err().contains("unknown policy 'noSuchThrottle'"), unknownPolicy.err());
            final Run badParam = run("host", "--workload", "scanner(rat=5)");
            assertEquals(2, badParam.exitCode());
            assertTrue(badParam.err().contains("unknown parameter 'rat'"), badParam.err());
            final Run none = run("host");
            assertEquals(2, none.exitCode());
            assertTrue(none.err().contains("at least one --workload or --trace"), none.err());
            final Run sweep = run("host", "--workload", "desktop", "--param", "nothing=1,2");
            assertEquals(2, sweep.exitCode());
            assertTrue(sweep.err().contains("--param nothing"), sweep.err());
            final Run endless = run("host", "--workload", "desktop", "--duration", "0s");
            assertEquals(2, endless.exitCode());
        }
    }

    @Nested
    @DisplayName("worm and policies")
    class Worm {

        @Test
        @DisplayName("worm: unlimited runs once as the baseline, XP's cap once per coverage; the chart is drawn")
        void wormComparesCoverages() throws IOException {
            final Run r = run("worm", "--space-bits", "16", "--vulnerable", "300", "--infected", "3", "--threads", "16",
                    "--coverage", "0.5,1", "--until", "0.5", "--no-progress", "--out", dir.toString());
            assertEquals(0, r.exitCode(), r.err());
            final List<String> rows = r.out().lines().skip(2).toList();
            assertEquals(3, rows.size(), r.out());
            assertTrue(rows.get(0).startsWith("unlimited") && rows.get(1).startsWith("xp")
                    && rows.get(1).contains("0.500") && rows.get(2).contains("1.00"), r.out());
            assertTrue(Files.size(dir.resolve("worm-infection.png")) > 10_000);
            assertTrue(Files.size(dir.resolve("worm-slowdown.png")) > 10_000, "two coverages: the slowdown chart");
            assertTrue(Files.readString(dir.resolve("worm.csv")).startsWith("policy,params,coverage,strategy,"));
        }

        @Test
        @DisplayName("worm: a share infected at t = 0 has no point on the log axis; with too few points, no chart")
        void shareInfectedAtTheStartDrawsNoSlowdown() throws IOException {
            final Run r = run("worm", "--space-bits", "16", "--vulnerable", "300", "--infected", "3", "--threads", "16",
                    "--coverage", "0.5,1", "--until", "0.01", "--no-progress", "--out", dir.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertFalse(Files.exists(dir.resolve("worm-slowdown.png")), "every time is 0: nothing to draw");
        }

        @Test
        @DisplayName("worm: one coverage draws the infection curves but no slowdown chart")
        void oneCoverageHasNoSlowdownChart() throws IOException {
            final Run r = run("worm", "--space-bits", "16", "--vulnerable", "300", "--infected", "3", "--threads", "16",
                    "--until", "0.5", "--no-progress", "--out", dir.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(Files.size(dir.resolve("worm-infection.png")) > 10_000);
            assertFalse(Files.exists(dir.resolve("worm-slowdown.png")), "a slowdown needs two coverages");
        }

        @Test
        @DisplayName("worm: a queue bound that refuses at once with --rate 0 is a usage error naming why, not a hang")
        void aRefusalAtOnceWithoutARateIsAUsageError() {
            final Run r = run("worm", "--space-bits", "16", "--vulnerable", "300", "--infected", "3", "--threads", "16",
                    "--policy", "xp", "--max-queued", "0", "--no-progress");
            assertEquals(2, r.exitCode(), r.out());
            assertTrue(r.err().contains("QueueFullException") && r.err().contains("--rate"), r.err());
            final Run paced = run("worm", "--space-bits", "16", "--vulnerable", "300", "--infected", "3", "--threads",
                    "16", "--policy", "xp", "--max-queued", "0", "--rate", "100", "--max-duration", "60s",
                    "--no-progress");
            assertEquals(0, paced.exitCode(), paced.err());
        }

        @Test
        @DisplayName("policies lists what --policy accepts")
        void policiesAreListed() {
            final Run r = run("policies");
            assertEquals(0, r.exitCode());
            assertTrue(r.out().contains("halfOpenCap") && r.out().contains("maxHalfOpen=10")
                    && r.out().contains("unlimited"), r.out());
        }
    }

    private static String[] concat(final String[] a, final String last) {
        final String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = last;
        return out;
    }
}
