package io.halfopen.agent;

/**
 * What the agent's limiter shows in JMX, as {@value AgentMBean#OBJECT_NAME} ({@code jconsole}, JFR's
 * JMX recording, any JMX client). Every figure is read when asked, without a lock; see limiter-core's
 * {@code LimiterStats} for exactly what each counts.
 */
public interface HalfOpenLimiterMXBean {

    /** @return the Windows profile the agent runs as, such as {@code XP_PRO_SP2} */
    String getProfile();

    /** @return the half-open limit in force, {@link Integer#MAX_VALUE} for none */
    int getMaxHalfOpen();

    /** @return the half-open timeout, in milliseconds */
    long getHalfOpenTimeoutMillis();

    /** @return connect attempts holding a slot now (SYN sent, no answer yet) */
    int getHalfOpen();

    /** @return connect attempts waiting for a slot now */
    int getQueued();

    /** @return non-blocking channel connects held without a SYN now (part of {@link #getQueued()}) */
    int getHeldNonBlockingConnects();

    /** @return the most attempts that held slots at once */
    int getPeakHalfOpen();

    /** @return the most attempts that waited at once */
    int getPeakQueued();

    /** @return attempts that got a slot */
    long getGranted();

    /** @return attempts that had to wait */
    long getThrottled();

    /** @return attempts that ended established */
    long getEstablished();

    /** @return attempts that ended refused */
    long getRefused();

    /** @return attempts that ended failed */
    long getFailed();

    /** @return attempts that ended timed out (the half-open timeout, or the caller's own) */
    long getTimedOut();

    /** @return attempts given up by their owner (a close, an interrupt) */
    long getCancelled();

    /** @return attempts that left the queue at the queue timeout */
    long getQueueTimeouts();

    /** @return how many times event 4226 was raised */
    long getLimitReachedEvents();

    /** @return connect attempts on the paths the agent only counts */
    long getCountedOnlyAttempts();

    /** @return the ids of the paths the agent limits */
    String[] getLimitedPaths();

    /** @return the ids of the paths the agent only counts */
    String[] getCountedOnlyPaths();

    /** @return the inbound session limit, 0 if it is off */
    int getMaxInboundSessions();

    /** @return inbound sessions open now */
    int getInboundSessions();

    /** @return inbound connections refused with system error 71 */
    long getInboundRefused();
}
