package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace of one test's own (harness.md, Recipe C), named {@code halfopen-<purpose>-<pid>-<n>}, with
 * its loopback up, and removed on {@link #close()}. Its sysctls are its own: setting one here changes nothing on
 * the machine. Commands run inside it with {@code nsenter --net}, which (unlike {@code ip netns exec}) keeps the
 * caller's mounts, so that tracefs under {@code /sys/kernel/tracing} stays visible to the kernel judge.
 *
 * <p>Needs root and {@code ip}; {@link #require()} skips the test without them, except in CI ({@code CI=true}),
 * where that fails it.
 */
final class PrivateNetworkNamespace implements AutoCloseable {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String name;

    private PrivateNetworkNamespace(final String name) {
        this.name = name;
    }

    /** Skips the calling test where namespaces cannot be made (not root, no ip, no nsenter), or fails it in CI. */
    static void require() {
        final boolean root = "root".equals(System.getProperty("user.name"));
        final boolean tools = Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"));
        final boolean nsenter = Files.isExecutable(Path.of("/usr/bin/nsenter"));
        final String missing = (root ? "" : " root") + (tools ? "" : " ip") + (nsenter ? "" : " nsenter");
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(missing.isEmpty(), "CI must run the network namespace tests; missing:" + missing);
        } else {
            assumeTrue(missing.isEmpty(), "network namespace tests need root, ip and nsenter; missing:" + missing);
        }
    }

    /**
     * Creates a namespace with its loopback up.
     *
     * @param purpose a short word for its name
     * @return the namespace
     */
    static PrivateNetworkNamespace create(final String purpose) {
        final String name = "halfopen-" + purpose + "-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
        run(List.of("ip", "netns", "add", name));
        final PrivateNetworkNamespace namespace = new PrivateNetworkNamespace(name);
        try {
            run(List.of("ip", "-n", name, "link", "set", "lo", "up"));
        } catch (final RuntimeException | Error e) {
            namespace.close();
            throw e;
        }
        return namespace;
    }

    /** @return the namespace's name */
    String name() {
        return name;
    }

    /**
     * Sets a sysctl inside the namespace only.
     *
     * @param key e.g. {@code net.ipv4.tcp_fastopen}
     * @param value its value
     */
    void sysctl(final String key, final String value) {
        run(List.of("ip", "netns", "exec", name, "sysctl", "-qw", key + "=" + value));
        final String read = run(List.of("nsenter", "--net=/run/netns/" + name, "cat",
                "/proc/sys/" + key.replace('.', '/'))).strip();
        assertEquals(value, read, "sysctl " + key + " in " + name);
    }

    /**
     * Runs a JVM inside the namespace with this JVM's class path and environment (so {@code CI} and the judge's
     * evidence directory carry over), and returns what it printed once it ended.
     *
     * @param main the main class
     * @param args its arguments
     * @return its exit code and output
     */
    ChildResult runJvm(final Class<?> main, final String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + name, "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath()));
        for (final Map.Entry<Object, Object> property : System.getProperties().entrySet()) {
            final String key = property.getKey().toString();
            if (key.startsWith("halfopen.")) {
                command.add("-D" + key + "=" + property.getValue());
            }
        }
        command.add(main.getName());
        command.addAll(List.of(args));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final byte[] out = child.getInputStream().readAllBytes();
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly();
        }
        return new ChildResult(child.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** This JVM's class path and module path (surefire puts a JPMS module's tests on the latter), as a class path. */
    private static String classPath() {
        final String modules = System.getProperty("jdk.module.path");
        final String classes = System.getProperty("java.class.path");
        return modules == null || modules.isEmpty() ? classes : modules + java.io.File.pathSeparator + classes;
    }

    /**
     * What a child JVM did.
     *
     * @param exitCode its exit code
     * @param output its standard output and error
     */
    record ChildResult(int exitCode, String output) {

        /** @return the value of {@code key=value} on the output's line starting with {@code result:} */
        String value(final String key) {
            for (final String line : output.split("\n")) {
                if (line.startsWith("result:")) {
                    for (final String field : line.substring("result:".length()).trim().split(" ")) {
                        if (field.startsWith(key + "=")) {
                            return field.substring(key.length() + 1);
                        }
                    }
                }
            }
            throw new AssertionError("the child printed no result " + key + ": " + output);
        }
    }

    /** Deletes the namespace (and everything in it). */
    @Override
    public void close() {
        run(List.of("ip", "netns", "del", name));
    }

    private static String run(final List<String> command) {
        try {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), () -> command + " did not end");
            assertEquals(0, process.exitValue(), () -> command + " failed: " + out);
            return out;
        } catch (final IOException e) {
            throw new AssertionError(command + " could not run", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(command + " interrupted", e);
        }
    }
}
