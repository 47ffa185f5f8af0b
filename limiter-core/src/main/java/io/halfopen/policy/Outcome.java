package io.halfopen.policy;

/**
 * How an admitted attempt ended, as its gate learns on {@link AdmissionGate#exit}: the feedback an adaptive
 * policy needs (an AIMD cap that shrinks on timeouts, a failure-rate limiter, a scan detector that reads the
 * outcomes of first contacts).
 *
 * <p>The limiter derives it from the owner's report: {@code established()}, {@code refused()},
 * {@code aborted()} and {@code cancel()} give {@link #ESTABLISHED}, {@link #REFUSED}, {@link #TIMED_OUT} and
 * {@link #CANCELLED}; {@code failed(cause)} gives {@link #UNREACHABLE} when the cause is a
 * {@link java.net.NoRouteToHostException} or a {@link java.net.PortUnreachableException} (or a subclass, such as
 * Netty's annotated copies), and {@link #FAILED} for any other cause. The decision is by exception type, never
 * by message text (the text is the C library's, translated under other locales). The attempt's own
 * {@code AttemptState} is {@code FAILED} in both cases; only the gate hears the difference.
 */
public enum Outcome {
    /** The handshake completed (SYN-ACK). */
    ESTABLISHED,
    /** The peer answered with a reset. */
    REFUSED,
    /** No answer: the connect was aborted after a timeout (the limiter's half-open timeout or the owner's). */
    TIMED_OUT,
    /**
     * An ICMP error said the destination cannot be reached: the JDK and Netty (NIO and the native transports)
     * throw {@link java.net.NoRouteToHostException} for {@code EHOSTUNREACH} (an ICMP host unreachable or
     * administratively prohibited, or no ARP answer on the local link); Netty's native transports also for
     * {@code ENETUNREACH}. Linux reports an ICMP port unreachable to a TCP connect as a reset, so that one is
     * {@link #REFUSED}. Says the destination is not there, as a timeout does, only faster.
     */
    UNREACHABLE,
    /**
     * Another failure: a local error, or an unreachable network the JDK reports only as a plain
     * {@code SocketException} ({@code ENETUNREACH} on the JDK's own sockets).
     */
    FAILED,
    /** The owner gave up; says nothing about the peer. */
    CANCELLED
}
