package io.halfopen.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the host's tools ({@code ip}, {@code nft}, {@code id}) with a deadline, and fails with their output. */
final class Commands {

    private static final long TIMEOUT_SECONDS = 30;

    private Commands() {
    }

    /**
     * Runs a command and returns its standard output.
     *
     * @param command the command and its arguments
     * @return what it printed on standard output
     * @throws IOException if it could not start, failed, or ran past its deadline; the message has its output
     */
    static String run(final String... command) throws IOException {
        return runWithInput(null, command);
    }

    /**
     * Runs a command with the given standard input and returns its standard output.
     *
     * @param input   what to write to its standard input, or {@code null}
     * @param command the command and its arguments
     * @return what it printed on standard output
     * @throws IOException if it could not start, failed, or ran past its deadline; the message has its output
     */
    static String runWithInput(final String input, final String... command) throws IOException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final Thread reader = drain(process.getInputStream(), output);
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": still running after " + TIMEOUT_SECONDS
                        + " s");
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
        final String text = output.toString(StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": exit " + process.exitValue() + ": " + text.trim());
        }
        return text;
    }

    /**
     * Runs a command, ignoring whether it fails: for best-effort cleanup.
     *
     * @param command the command and its arguments
     */
    static void runQuietly(final String... command) {
        try {
            run(command);
        } catch (final IOException ignored) {
            // best effort
        }
    }

    /**
     * Whether a program is on the PATH.
     *
     * @param program its name
     * @return whether {@code command -v} finds it
     */
    static boolean exists(final String program) {
        try {
            run("sh", "-c", "command -v " + program);
            return true;
        } catch (final IOException missing) {
            return false;
        }
    }

    /** @return whether this JVM runs as root (uid 0) */
    static boolean isRoot() {
        try {
            return run("id", "-u").trim().equals("0");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Thread drain(final InputStream in, final ByteArrayOutputStream into) {
        final Thread reader = new Thread(() -> {
            try (in) {
                in.transferTo(into);
            } catch (final IOException ignored) {
                // the process ended
            }
        }, "command-output");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** @return the command as one line, for messages */
    static String line(final List<String> command) {
        return String.join(" ", command);
    }
}
