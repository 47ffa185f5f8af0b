package io.halfopen.limiter;

/**
 * The owner's side of a {@link ConnectAttempt}: told when to connect, when the attempt failed without ever
 * getting a slot, and when to abort a connect that has been half-open too long.
 *
 * <h2>Threads</h2>
 * Callbacks run on the thread that causes them: {@link #granted} on the thread that called
 * {@link HalfOpenLimiter#newAttempt} when a slot is free at once, otherwise on the thread whose report (or
 * cancellation, or a policy's timer) freed the slot; {@link #failed} and {@link #abort} on the scheduler's
 * thread (timeouts) or the caller's thread (rejection, shutdown). Never under a lock. Grants are trampolined:
 * a callback that reports an outcome, and so frees a slot for the next waiter, does not recurse into that
 * waiter's callback; the next grant runs after the current callback returns, on the same thread (this also
 * holds for a {@code newAttempt} made inside a callback). Callbacks must be quick and must not block: an
 * event-loop owner hops to its own loop (as {@code HalfOpenLimitHandler} does).
 *
 * <h2>Order</h2>
 * Each attempt gets at most one of {@link #granted} and {@link #failed}, and {@link #abort} only after
 * {@link #granted} has returned: the half-open timer is armed before {@code granted} runs, and if it fires
 * meanwhile, the abort waits for {@code granted} to return.
 *
 * <p>A callback that throws is logged; if {@link #granted} throws, the attempt is ended as failed and its
 * slot freed, so that a broken owner cannot leak a slot.
 */
public interface AttemptListener {

    /**
     * The attempt holds a slot: issue the connect now.
     *
     * @param attempt the attempt, in state {@link AttemptState#HALF_OPEN}
     */
    void granted(ConnectAttempt attempt);

    /**
     * The attempt ended before its owner was ever told to connect: {@link QueueTimeoutException},
     * {@link QueueFullException}, {@link LimiterClosedException}, {@link PolicyRefusedException}, or
     * {@link SchedulerFailedException} (a timer could not be armed; if the attempt had been granted, its slot
     * is already free). Not called after the owner's own {@link ConnectAttempt#cancel()}.
     *
     * @param attempt the attempt, in its terminal state
     * @param cause   why
     */
    void failed(ConnectAttempt attempt, HalfOpenLimitException cause);

    /**
     * The attempt has held its slot for the whole half-open timeout without an outcome: abort the connect,
     * close its socket, then call {@link ConnectAttempt#aborted()} (or any other report). The slot stays
     * taken until then, so that the kernel never sees more half-open sockets than the limit.
     *
     * @param attempt the attempt, in state {@link AttemptState#ABORTING}
     * @param cause   the timeout, to fail the caller's connect with
     */
    void abort(ConnectAttempt attempt, HalfOpenTimeoutException cause);
}
