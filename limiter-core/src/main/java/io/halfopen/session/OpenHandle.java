package io.halfopen.session;

import java.util.Objects;

/**
 * A file or pipe a session has open, such as the {@code \PIPE\spoolss} an RPC {@code OpenPrinter} call holds:
 * what {@code net session}'s Opens column counts. Opened with {@link SessionConnection#open(String)} on behalf
 * of one connection; it moves with that connection if it authenticates into another session.
 *
 * <p>While a session has a handle open, neither AutoDisconnect nor the null-session idle timeout ends it: its
 * idle time keeps growing, and only closing the handle, closing the connection, or
 * {@link InboundSessionLimiter#disconnect(String)} ({@code net session /delete}) frees its place. That is how
 * KB 328459's stuck {@code OpenPrinter} keeps a null session, and its place under the limit, forever.
 *
 * <p>Thread-safe. {@link #close()} takes the limiter's lock briefly and is idempotent; a handle is closed, too,
 * once its connection ends.
 */
public final class OpenHandle implements AutoCloseable {

    private final SessionConnection connection;
    private final String path;
    private boolean closed; // guarded by the limiter's lock

    OpenHandle(final SessionConnection connection, final String path) {
        this.connection = connection;
        this.path = path;
    }

    /**
     * Returns what is open, as the protocol named it: {@code \PIPE\spoolss}, {@code \Documents\report.doc}.
     *
     * @return the path
     */
    public String path() {
        return path;
    }

    /**
     * Returns the connection the handle was opened on.
     *
     * @return the connection
     */
    public SessionConnection connection() {
        return connection;
    }

    /**
     * Returns whether the handle is still open: not closed, and its connection not ended.
     *
     * @return {@code true} while it counts in its session's Opens
     */
    public boolean isOpen() {
        return connection.limiter().isOpen(this);
    }

    /** Closes the handle: its session counts one open fewer, and the close is activity. Idempotent. */
    @Override
    public void close() {
        connection.limiter().close(this);
    }

    boolean closed() {
        return closed;
    }

    void markClosed() {
        this.closed = true;
    }

    static String checkPath(final String path) {
        Objects.requireNonNull(path, "path");
        if (path.isBlank()) {
            throw new IllegalArgumentException("path must name a file or pipe, was \"" + path + "\"");
        }
        return path;
    }

    @Override
    public String toString() {
        return "OpenHandle[" + path + " on " + connection.info() + (isOpen() ? "" : ", closed") + "]";
    }
}
