package io.halfopen.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One "computer" of the session demo: a blocking TCP client whose source address is 127.0.0.{@code host}
 * (Linux routes all of 127/8 to the loopback interface), so that the server sees a distinct remote
 * computer. It connects and reads the server's first line; an admitted computer can then send commands and
 * read their replies; a refused one reads whether the server closed the connection. Every step has a
 * deadline. Not thread-safe: one thread drives it.
 */
final class LoopbackComputer implements AutoCloseable {

    /** The lowest host number a computer may have: 127.0.0.1 is the server. */
    static final int FIRST_HOST = 2;
    /** The highest host number a computer may have. */
    static final int LAST_HOST = 254;

    /** How a connection went, as the computer saw it. */
    enum Outcome {
        /** The server greeted it: it holds a session. */
        ADMITTED,
        /** The server sent its refusal line, then closed the connection. */
        REFUSED,
        /** Anything else: another line, no line, or the connection left open after the refusal line. */
        UNEXPECTED
    }

    /**
     * What the computer saw.
     *
     * @param outcome   admitted, refused or neither
     * @param firstLine the first line the server sent, or null if it closed without one
     * @param detail    what went wrong for an unexpected outcome, else empty
     */
    record Answer(Outcome outcome, String firstLine, String detail) {
    }

    private final String name;
    private final Socket socket = new Socket();
    private BufferedReader in;
    private OutputStream out;

    /**
     * Creates a computer that is not connected yet.
     *
     * @param host the last byte of its loopback address, {@link #FIRST_HOST} to {@link #LAST_HOST}
     */
    LoopbackComputer(final int host) {
        if (host < FIRST_HOST || host > LAST_HOST) {
            throw new IllegalArgumentException("host must be " + FIRST_HOST + ".." + LAST_HOST + ", was " + host);
        }
        this.name = "127.0.0." + host;
    }

    /**
     * Returns the computer's address, which is also its name in the session table.
     *
     * @return "127.0.0.N"
     */
    String name() {
        return name;
    }

    /**
     * Connects from this computer's address to {@code server} and reads the answer. An admitted
     * connection stays open until {@link #close()}.
     *
     * @param server   the demo server, on loopback
     * @param greeting the line an admitted computer reads
     * @param refusal  the line a refused computer reads before the server closes the connection
     * @param timeout  how long connecting and reading the answer may take in all
     * @return what the computer saw
     * @throws IOException if the computer cannot bind its address or connect
     */
    Answer connect(final InetSocketAddress server, final String greeting, final String refusal,
                   final Duration timeout) throws IOException {
        if (!server.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the demo stays on loopback; server was " + server);
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        socket.bind(new InetSocketAddress(name, 0));
        socket.connect(server, remainingMillis(deadline));
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        out = socket.getOutputStream();
        final String first;
        try {
            socket.setSoTimeout(remainingMillis(deadline));
            first = in.readLine();
        } catch (final SocketTimeoutException e) {
            return new Answer(Outcome.UNEXPECTED, null, "no answer within " + timeout);
        }
        if (greeting.equals(first)) {
            return new Answer(Outcome.ADMITTED, first, "");
        }
        if (!refusal.equals(first)) {
            return new Answer(Outcome.UNEXPECTED, first, first == null ? "closed without a line" : "unknown line");
        }
        return closedByServer(Duration.ofNanos(Math.max(0L, deadline - System.nanoTime())))
                ? new Answer(Outcome.REFUSED, first, "")
                : new Answer(Outcome.UNEXPECTED, first, "not closed within " + timeout + " of the refusal");
    }

    /**
     * Sends one command line and reads the server's reply.
     *
     * @param command the command, without a line ending
     * @param timeout how long the reply may take
     * @return the reply line, or null if the server closed the connection instead
     * @throws IOException if the connection fails or no reply comes in time
     */
    String ask(final String command, final Duration timeout) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        socket.setSoTimeout(Math.max(1, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        try {
            return in.readLine();
        } catch (final SocketException reset) {
            return null;
        }
    }

    /**
     * Reads until the server closes the connection.
     *
     * @param timeout how long to wait
     * @return whether the server closed it (end of stream or a reset) within {@code timeout}, with nothing more
     *         sent first
     */
    boolean closedByServer(final Duration timeout) {
        try {
            socket.setSoTimeout(Math.max(1, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            return in.read() == -1;
        } catch (final SocketTimeoutException e) {
            return false;
        } catch (final IOException reset) {
            return true;
        }
    }

    /** Closes the connection, if any. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (final IOException ignored) {
            // already closed or reset: nothing left to do
        }
    }

    private static int remainingMillis(final long deadline) throws SocketTimeoutException {
        final long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (millis < 1) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }
}
