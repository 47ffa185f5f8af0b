package io.halfopen.limiter;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One outbound TCP connect attempt, from the moment it asks for a slot until it ends: the handle its owner
 * holds. Obtained without blocking from {@link HalfOpenLimiter#newAttempt(InetSocketAddress, AttemptListener)}
 * (callbacks) or, for plain blocking sockets, from {@link HalfOpenLimiter#acquire(InetSocketAddress, Duration)}.
 *
 * <h2>Life</h2>
 * {@link AttemptState#QUEUED} → {@link AttemptState#HALF_OPEN} (the {@link AttemptListener#granted} callback:
 * connect now) → the owner reports the outcome with exactly one of {@link #established()},
 * {@link #refused()}, {@link #failed(Throwable)}, {@link #aborted()} or {@link #cancel()}. If no outcome
 * comes within the half-open timeout the attempt moves to {@link AttemptState#ABORTING} and the owner is told
 * to abort ({@link AttemptListener#abort}); the slot is freed when the owner then reports.
 *
 * <h2>Exactly once</h2>
 * The slot is released on the first report that ends the attempt, from whichever thread gets there first;
 * every later report is a no-op that returns {@code false}, never an extra permit. Report only once the socket
 * has left SYN_SENT (connected, refused, or closed), or the kernel briefly sees one more half-open socket
 * than the limit.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public interface ConnectAttempt {

    /**
     * Returns the address this attempt connects to.
     *
     * @return the remote address
     */
    InetSocketAddress remote();

    /**
     * Returns whether this attempt was granted a slot at some point: it is, or was, half-open. {@code false} for
     * an attempt still queued and for one that left the queue without a slot (queue timeout, cancelled while
     * queued, rejected).
     *
     * @return whether the attempt got a slot
     */
    boolean wasGranted();

    /**
     * Returns the current state; a snapshot.
     *
     * @return the state
     */
    AttemptState state();

    /**
     * Reports that the handshake completed (SYN-ACK received). Ends the attempt as
     * {@link AttemptState#ESTABLISHED} and frees its slot.
     *
     * @return {@code true} if this call ended the attempt, {@code false} if it had already ended
     * @throws IllegalStateException if the attempt is still queued: it was never granted a slot
     */
    boolean established();

    /**
     * Reports that the peer refused the connect (RST). Ends the attempt as {@link AttemptState#REFUSED}.
     *
     * @return {@code true} if this call ended the attempt
     * @throws IllegalStateException if the attempt is still queued
     */
    boolean refused();

    /**
     * Reports that the connect failed for another reason and its socket is closed. Ends the attempt as
     * {@link AttemptState#FAILED}. Pass the exception the connect threw: the admission policy learns an
     * unreachable destination from its type ({@link java.net.NoRouteToHostException} or
     * {@link java.net.PortUnreachableException}: {@link io.halfopen.policy.Outcome#UNREACHABLE}), any other
     * cause as {@link io.halfopen.policy.Outcome#FAILED}.
     *
     * @param cause why; kept for diagnostics
     * @return {@code true} if this call ended the attempt
     * @throws IllegalStateException if the attempt is still queued
     */
    boolean failed(Throwable cause);

    /**
     * Reports that the owner aborted the connect after a timeout (the limiter's half-open timeout or the
     * owner's own) and closed its socket. Ends the attempt as {@link AttemptState#TIMED_OUT}.
     *
     * @return {@code true} if this call ended the attempt
     * @throws IllegalStateException if the attempt is still queued
     */
    boolean aborted();

    /**
     * Gives up the attempt. If it is queued it leaves the queue at once, in O(1), and no slot is ever granted
     * (the {@link AttemptListener#granted} callback will not run). If it holds a slot, the owner must already
     * have closed its socket (or never issued the connect): the slot is freed. Ends the attempt as
     * {@link AttemptState#CANCELLED}.
     *
     * @return {@code true} if this call ended the attempt, {@code false} if it had already ended
     */
    boolean cancel();

    /**
     * Returns how long the attempt waited for its slot: until now if it is still queued, until it left the
     * queue otherwise; zero if it got a slot at once.
     *
     * @return the queue wait
     */
    Duration queueWait();

    /**
     * Returns the failure this attempt ended with, if any: the limiter's exception for
     * {@link AttemptState#QUEUE_TIMEOUT}, {@link AttemptState#REJECTED} and {@link AttemptState#TIMED_OUT}
     * after the half-open timeout, or the cause given to {@link #failed(Throwable)}.
     *
     * @return the failure, or {@code null}
     */
    Throwable failure();
}
