package io.halfopen.limiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The packages of limiter-core form no cycle, and depend on each other only as ARCHITECTURE.md's package
 * guide says. Judged by the JDK's own {@code jdeps} on the compiled classes (bytecode references, not
 * imports), run in-process through {@link ToolProvider}.
 */
@DisplayName("limiter-core's packages form no cycle and follow the package guide (judged by jdeps)")
class PackageDependenciesTest {

    private static final Pattern EDGE = Pattern.compile("^\\s*(io\\.halfopen[\\w.]*)\\s+->\\s+(io\\.halfopen[\\w.]*)\\s");
    private static final Map<String, Set<String>> GRAPH = new TreeMap<>();

    @BeforeAll
    static void runJdeps() throws Exception {
        final Path classes = Path.of(HalfOpenLimiter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final Path slf4j = Path.of(org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() ->
                new AssertionError("this JDK has no jdeps tool"));
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exit = jdeps.run(new PrintWriter(out), new PrintWriter(err), "--multi-release", "17",
                "--module-path", slf4j.toString(), "-verbose:package", classes.toString());
        assertEquals(0, exit, "jdeps failed: " + err + out);
        for (final String line : out.toString().split("\\R")) {
            final Matcher edge = EDGE.matcher(line);
            if (edge.find() && !edge.group(1).equals(edge.group(2))) {
                GRAPH.computeIfAbsent(edge.group(1), p -> new TreeSet<>()).add(edge.group(2));
            }
        }
        assertTrue(GRAPH.containsKey("io.halfopen.limiter"), "jdeps reported no dependency at all: " + out);
        System.out.println("[jdeps] " + GRAPH);
    }

    private static Set<String> dependenciesOf(final String pkg) {
        return GRAPH.getOrDefault(pkg, Set.of());
    }

    @Test
    void thePackagesFormNoCycle() {
        final List<String> cycles = new ArrayList<>();
        for (final String start : GRAPH.keySet()) {
            findCycle(start, start, new ArrayList<>(List.of(start)), cycles);
        }
        assertEquals(List.of(), cycles, "package cycles");
    }

    private static void findCycle(final String start, final String at, final List<String> path,
            final List<String> cycles) {
        for (final String next : dependenciesOf(at)) {
            if (next.equals(start)) {
                cycles.add(String.join(" -> ", path) + " -> " + start);
            } else if (!path.contains(next)) {
                path.add(next);
                findCycle(start, next, path, cycles);
                path.remove(path.size() - 1);
            }
        }
    }

    @Test
    void theSemaphoreDependsOnNothingOfHalfopens() {
        assertEquals(Set.of(), dependenciesOf("io.halfopen.policy.internal"));
    }

    @Test
    void thePolicySeamDependsOnlyOnTimeAndItsOwnInternals() {
        assertTrue(Set.of("io.halfopen.time", "io.halfopen.policy.internal").containsAll(
                dependenciesOf("io.halfopen.policy")), "io.halfopen.policy -> " + dependenciesOf("io.halfopen.policy"));
    }

    @Test
    void theLimiterUsesTheSeamNotTheSemaphore() {
        assertTrue(Set.of("io.halfopen.policy", "io.halfopen.time", "io.halfopen.profile").containsAll(
                dependenciesOf("io.halfopen.limiter")), "io.halfopen.limiter -> " + dependenciesOf("io.halfopen.limiter"));
    }

    @Test
    void timeAndProfilesDependOnNothingOfHalfopens() {
        assertEquals(Set.of(), dependenciesOf("io.halfopen.time"));
        assertEquals(Set.of(), dependenciesOf("io.halfopen.profile"));
    }

    @Test
    void theSessionLimitSharesOnlyTimeAndProfilesWithTheOutboundLimiter() {
        assertTrue(Set.of("io.halfopen.time", "io.halfopen.profile").containsAll(dependenciesOf("io.halfopen.session")),
                "io.halfopen.session -> " + dependenciesOf("io.halfopen.session"));
    }
}
