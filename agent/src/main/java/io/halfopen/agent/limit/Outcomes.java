package io.halfopen.agent.limit;

import io.halfopen.jdk.BlockingConnect;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.QueueTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;

/**
 * How a failed connect is reported to the limiter, and how the limiter's own failures reach the application.
 *
 * <p>Decided by exception type, never by message text: the JDK's messages are the C library's
 * {@code strerror} text, translated under another locale. The JDK throws {@link ConnectException} for
 * {@code ECONNREFUSED}, and also for {@code ETIMEDOUT} and {@code ENOTCONN}; a connect that the agent bounds by
 * the half-open timeout (21 s for XP) meets {@code ETIMEDOUT} only if the kernel's own SYN retries give up
 * first (Linux: about 127 s), so in practice a {@code ConnectException} is a refusal.
 */
final class Outcomes {

    private Outcomes() {
    }

    /**
     * Reports a connect that failed with {@code failure}; its socket must already be closed (the JDK closes a
     * socket whose connect failed before the exception reaches the caller).
     */
    static void reportFailure(final ConnectAttempt attempt, final Throwable failure) {
        if (failure instanceof SocketTimeoutException) {
            attempt.aborted();
        } else if (failure instanceof ConnectException) {
            attempt.refused();
        } else if (failure instanceof ClosedChannelException) { // closed by another thread, or by an interrupt
            attempt.cancel();
        } else {
            attempt.failed(failure);
        }
    }

    /**
     * The limiter's failure as an exception of the JDK's own types, so that the application handles it as it
     * handles any connect failure: a queue timeout as a {@link SocketTimeoutException}, a full queue or a closed
     * limiter as a {@link ConnectException}. The limiter's exception, which says which limit and how long it
     * waited, is the cause.
     */
    static IOException asJdkException(final HalfOpenLimitException failure) {
        final IOException e = failure instanceof QueueTimeoutException
                ? new SocketTimeoutException(failure.getMessage())
                : new ConnectException(failure.getMessage());
        e.initCause(failure);
        return e;
    }

    /**
     * Runs limiter-jdk's {@link BlockingConnect} (the rules of {@code HalfOpenSocketFactory}'s sockets, one code
     * for both) and gives the application the JDK's own exception types where that class throws halfopen's or a
     * socket's: the limiter's failures (queue timeout, queue full, limiter closed) become
     * {@link #asJdkException JDK types}, because the application cannot name the agent's relocated classes; and on a
     * channel, a wait for a slot ended by an interrupt throws {@link ClosedByInterruptException}, as any
     * interrupted blocking channel operation does (limiter-jdk's sockets throw {@code SocketException("Closed by
     * interrupt")}, as {@code java.net.Socket} does).
     *
     * @param channel whether the socket is a {@code SocketChannel}
     */
    static void run(final BlockingConnect connect, final int millis, final BlockingConnect.RealConnect realConnect,
            final boolean channel) throws IOException {
        try {
            connect.run(millis, realConnect);
        } catch (final HalfOpenLimitException e) {
            throw asJdkException(e);
        } catch (final SocketException e) {
            if (channel && Thread.currentThread().isInterrupted()) {
                final ClosedByInterruptException interrupted = new ClosedByInterruptException();
                interrupted.initCause(e);
                throw interrupted;
            }
            throw e;
        }
    }

    /** A duration for messages: "2.5 s", "300 ms". */
    static String format(final Duration d) {
        final long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        return (ms % 1000 == 0 ? Long.toString(ms / 1000) : String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0))
                + " s";
    }
}
