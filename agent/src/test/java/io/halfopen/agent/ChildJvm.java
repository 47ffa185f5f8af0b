package io.halfopen.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Starts a child JVM (the JDK the tests run on) that runs one of the test programs, with or without the built
 * agent jar. The child's class path is the test class path without halfopen's own classes and without Byte
 * Buddy: the programs know nothing of halfopen, and the agent brings everything it needs in its jar.
 */
final class ChildJvm {

    /** What the child did. */
    record Result(int exit, String stdout, String stderr, Duration took) {

        /** The {@code RESULT key=value ...} line the programs print, as a map. */
        Map<String, String> result() {
            for (final String line : stdout.split("\n")) {
                if (line.startsWith("RESULT ")) {
                    final Map<String, String> values = new LinkedHashMap<>();
                    for (final String pair : line.substring("RESULT ".length()).trim().split(" ")) {
                        final int eq = pair.indexOf('=');
                        values.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                    return values;
                }
            }
            throw new AssertionError("no RESULT line; stdout:\n" + stdout + "\nstderr:\n" + stderr);
        }

        long count(final String key) {
            return Long.parseLong(result().getOrDefault(key, "0"));
        }

        @Override
        public String toString() {
            return "exit " + exit + " after " + took.toMillis() + " ms\n--- stdout\n" + stdout + "--- stderr\n"
                    + stderr;
        }
    }

    static Path agentJar() {
        final String jar = System.getProperty("halfopen.agent.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the agent jar is missing (" + jar + "): the child-JVM tests run after"
                    + " `package` (./mvnw verify)");
        }
        return Path.of(jar);
    }

    static String javaagent(final String options) {
        return "-javaagent:" + agentJar() + (options.isEmpty() ? "" : "=" + options);
    }

    private static String childClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("byte-buddy"))
                .filter(entry -> !entry.contains("limiter-core"))
                .filter(entry -> !entry.endsWith("agent" + File.separator + "target" + File.separator + "classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * Runs {@code main} in a child JVM and waits for it.
     *
     * @param jvmArgs  JVM options (the {@code -javaagent} among them, or not)
     * @param main     the program
     * @param timeout  the longest it may take; past it the child is killed and the test fails
     * @param args     the program's arguments
     * @return what it did
     */
    static Result run(final List<String> jvmArgs, final Class<?> main, final Duration timeout, final String... args)
            throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(childClassPath());
        command.add(main.getName());
        command.addAll(List.of(args));
        final long start = System.nanoTime();
        final Process process = new ProcessBuilder(command).start();
        final CompletableFuture<String> out = drain(process.getInputStream());
        final CompletableFuture<String> err = drain(process.getErrorStream());
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the child JVM did not end within " + timeout + " (something hangs): "
                    + String.join(" ", command) + "\n--- stdout\n" + out.getNow("") + "\n--- stderr\n"
                    + err.getNow(""));
        }
        return new Result(process.exitValue(), out.join(), err.join(), Duration.ofNanos(System.nanoTime() - start));
    }

    private static CompletableFuture<String> drain(final InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private ChildJvm() {
    }
}
