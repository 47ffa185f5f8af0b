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
        final List<String> command = command(jvmArgs, main, args);
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

    /** A child JVM that runs while the test talks to it through its standard input and output. */
    static final class Running implements AutoCloseable {
        private final Process process;
        private final java.io.BufferedReader out;
        private final java.io.PrintWriter in;
        private final StringBuffer stdout = new StringBuffer();
        private final CompletableFuture<String> err;
        private final long start = System.nanoTime();

        Running(final Process process) {
            this.process = process;
            this.out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            this.in = new java.io.PrintWriter(new java.io.OutputStreamWriter(process.getOutputStream(),
                    StandardCharsets.UTF_8), true);
            this.err = drain(process.getErrorStream());
        }

        long pid() {
            return process.pid();
        }

        /** Reads stdout lines until one starts with {@code prefix}, within the timeout; returns that line. */
        String awaitLine(final String prefix, final Duration timeout) throws IOException {
            final CompletableFuture<String> line = async(() -> {
                try {
                    String l;
                    while ((l = out.readLine()) != null) {
                        stdout.append(l).append('\n');
                        if (l.startsWith(prefix)) {
                            return l;
                        }
                    }
                    return null;
                } catch (final IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try {
                final String found = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (found == null) {
                    throw new AssertionError("the child ended without printing " + prefix + "\n--- stdout\n"
                            + stdout + "--- stderr\n" + stderrSoFar());
                }
                return found;
            } catch (final java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the child did not print " + prefix + " within " + timeout
                        + "\n--- stdout\n" + stdout + "--- stderr\n" + stderrSoFar());
            } catch (final InterruptedException | java.util.concurrent.ExecutionException e) {
                throw new IOException(e);
            }
        }

        void send(final String line) {
            in.println(line);
        }

        private String stderrSoFar() {
            return err.isDone() ? err.join() : "(still running)";
        }

        /** Waits for the child to end, reading the rest of its output. */
        Result await(final Duration timeout) throws IOException, InterruptedException {
            final CompletableFuture<String> rest = drain(process.getInputStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new AssertionError("the child JVM did not end within " + timeout + "\n--- stdout\n" + stdout);
            }
            return new Result(process.exitValue(), stdout + rest.join(), err.join(),
                    Duration.ofNanos(System.nanoTime() - start));
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    /** Starts {@code main} in a child JVM and returns at once. */
    static Running start(final List<String> jvmArgs, final Class<?> main, final String... args) throws IOException {
        return new Running(new ProcessBuilder(command(jvmArgs, main, args)).start());
    }

    private static List<String> command(final List<String> jvmArgs, final Class<?> main, final String... args) {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(childClassPath());
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** Reads a stream to its end on a thread of its own (never the common pool: it may have one thread). */
    private static CompletableFuture<String> drain(final InputStream in) {
        return async(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static <T> CompletableFuture<T> async(final java.util.function.Supplier<T> task) {
        final CompletableFuture<T> result = new CompletableFuture<>();
        final Thread t = new Thread(() -> {
            try {
                result.complete(task.get());
            } catch (final Throwable e) {
                result.completeExceptionally(e);
            }
        }, "child-jvm-io");
        t.setDaemon(true);
        t.start();
        return result;
    }

    private ChildJvm() {
    }
}
