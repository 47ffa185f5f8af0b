package io.halfopen.agent;

/**
 * What the agent's limiter shows in JMX, as {@value AgentMBean#OBJECT_NAME} ({@code jconsole}, JFR's
 * JMX recording, any JMX client). Every figure is read when asked, without a lock; see limiter-core's
 * {@code LimiterStats} for exactly what each counts.
 */
public interface HalfOpenLimiterMXBean {

    /**
     * Returns the Windows profile the agent runs as, such as {@code XP_PRO_SP2}.
     *
     * @return the Windows profile the agent runs as, such as {@code XP_PRO_SP2}
     */
    String getProfile();

    /**
     * Returns the half-open limit in force, {@link Integer#MAX_VALUE} for none.
     *
     * @return the half-open limit in force, {@link Integer#MAX_VALUE} for none
     */
    int getMaxHalfOpen();

    /**
     * Returns the half-open timeout, in milliseconds.
     *
     * @return the half-open timeout, in milliseconds
     */
    long getHalfOpenTimeoutMillis();

    /**
     * Returns connect attempts holding a slot now (SYN sent, no answer yet).
     *
     * @return connect attempts holding a slot now (SYN sent, no answer yet)
     */
    int getHalfOpen();

    /**
     * Returns connect attempts waiting for a slot now.
     *
     * @return connect attempts waiting for a slot now
     */
    int getQueued();

    /**
     * Returns non-blocking channel connects held without a SYN now (part of {@link #getQueued()}).
     *
     * @return non-blocking channel connects held without a SYN now (part of {@link #getQueued()})
     */
    int getHeldNonBlockingConnects();

    /**
     * Returns the most attempts that held slots at once.
     *
     * @return the most attempts that held slots at once
     */
    int getPeakHalfOpen();

    /**
     * Returns the most attempts that waited at once.
     *
     * @return the most attempts that waited at once
     */
    int getPeakQueued();

    /**
     * Returns attempts that got a slot.
     *
     * @return attempts that got a slot
     */
    long getGranted();

    /**
     * Returns attempts that had to wait.
     *
     * @return attempts that had to wait
     */
    long getThrottled();

    /**
     * Returns attempts that ended established.
     *
     * @return attempts that ended established
     */
    long getEstablished();

    /**
     * Returns attempts that ended refused.
     *
     * @return attempts that ended refused
     */
    long getRefused();

    /**
     * Returns attempts that ended failed.
     *
     * @return attempts that ended failed
     */
    long getFailed();

    /**
     * Returns attempts that ended timed out (the half-open timeout, or the caller's own).
     *
     * @return attempts that ended timed out (the half-open timeout, or the caller's own)
     */
    long getTimedOut();

    /**
     * Returns attempts given up by their owner (a close, an interrupt).
     *
     * @return attempts given up by their owner (a close, an interrupt)
     */
    long getCancelled();

    /**
     * Returns attempts that left the queue at the queue timeout.
     *
     * @return attempts that left the queue at the queue timeout
     */
    long getQueueTimeouts();

    /**
     * Returns how many times event 4226 was raised.
     *
     * @return how many times event 4226 was raised
     */
    long getLimitReachedEvents();

    /**
     * Returns connect attempts on the paths the agent only counts.
     *
     * @return connect attempts on the paths the agent only counts
     */
    long getCountedOnlyAttempts();

    /**
     * Returns the ids of the paths the agent limits.
     *
     * @return the ids of the paths the agent limits
     */
    String[] getLimitedPaths();

    /**
     * Returns the ids of the paths the agent only counts.
     *
     * @return the ids of the paths the agent only counts
     */
    String[] getCountedOnlyPaths();

    /**
     * Returns the inbound session limit, 0 if it is off.
     *
     * @return the inbound session limit, 0 if it is off
     */
    int getMaxInboundSessions();

    /**
     * Returns inbound sessions open now.
     *
     * @return inbound sessions open now
     */
    int getInboundSessions();

    /**
     * Returns inbound connections refused with system error 71.
     *
     * @return inbound connections refused with system error 71
     */
    long getInboundRefused();
}
