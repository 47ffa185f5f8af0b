package io.halfopen.netty;

import io.netty.channel.ChannelOption;

/**
 * What a channel's {@link ChannelOption#CONNECT_TIMEOUT_MILLIS} bounds when its connect goes through a
 * {@link HalfOpenLimitHandler}.
 */
public enum ConnectTimeoutScope {

    /**
     * The default: {@code CONNECT_TIMEOUT_MILLIS} bounds the whole connect, the wait for a half-open slot plus
     * the handshake, as Netty users read it ("this connect succeeds or fails within that time"). A connect
     * still queued when it is spent fails with the limiter's {@link io.halfopen.limiter.QueueTimeoutException}
     * (so is the limiter's own queue timeout, if shorter); a granted one gives the transport only what is left.
     * One granted when nothing is left (its grant came as, or after, the time ran out) sends no SYN: it fails
     * with a {@link io.netty.channel.ConnectTimeoutException} that says so, and its slot goes back unused. When
     * the transport's timeout was what the queue left of it and expires, the attempt is reported cancelled, not
     * timed out: the caller's time ran out, which says nothing sure about the peer, so a policy that learns from
     * timeouts (deadDestination, aimd, the scan detectors) does not blame it. A timeout of 0 (none) bounds
     * nothing.
     */
    QUEUE_AND_HANDSHAKE,

    /**
     * Windows XP's pure behaviour: {@code CONNECT_TIMEOUT_MILLIS} is armed by the transport when the SYN goes,
     * and the queue is bounded only by the limiter's own queue timeout (XP's profiles have none), so a connect
     * may wait in the queue without bound and then be half-open up to the half-open timeout (21 s on XP).
     */
    HANDSHAKE_ONLY
}
