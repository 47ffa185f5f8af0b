package io.halfopen.sim.host;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.sim.net.Answer;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Submits the fire-and-forget attempts of one stream (an open-loop scanner's) so that an attempt waiting in the
 * limiter's queue costs the simulator 40 bytes, not a {@link Connect} of 120: while it waits, the limiter holds a
 * small listener with what the network will answer, and the limiter's first callback makes the {@code Connect}
 * that is the attempt from then on. An open-loop scanner under XP's cap queues nearly every attempt it makes (3.6 M
 * in an hour at 1,000/s), so the queue is most of a run's memory.
 *
 * <p>The {@code Connect}s are not pooled: a pool of them, long-lived, took references to young objects (the address,
 * the limiter's attempt) at every reuse, and the hour's run without a limit (21,000 attempts in flight) took half
 * as long again; made fresh, they die young.
 *
 * <p>The recorder sees the same calls, in the same order, with the same values, as for {@link Connect#submit}:
 * but the {@code Connect} of its {@link HostRecorder#submitted} and {@link HostRecorder#queued} calls is a
 * description reused for every submission, to be read during the call and not kept. So they are for streams whose
 * queued attempts no recorder keeps: not the benign ones, whose {@link io.halfopen.sim.metrics.HostMetrics} keeps
 * them to count their wait at the end. The draws from the random source are the same too, so a run gives the same
 * report either way. Confined to the simulation's thread.
 */
public final class DeferredConnects implements ConnectOwner {

    private static final Answer[] ANSWERS = Answer.values();

    private final SimHost host;
    private final SplittableRandom random;
    private final int stream;
    private final Connect description;
    /** The attempt inside its {@code newAttempt} call, if any: a callback about it there means it never waited. */
    private Waiting entering;

    /**
     * Creates the submissions of a stream.
     *
     * @param host     the host
     * @param random   the source of SYN losses (used only for lossy destinations), as a {@code Connect}'s
     * @param streamId the stream its attempts belong to
     */
    public DeferredConnects(final SimHost host, final SplittableRandom random, final int streamId) {
        this.host = Objects.requireNonNull(host, "host");
        this.random = random;
        this.stream = streamId;
        this.description = new Connect(host, this, random);
    }

    /**
     * Asks the host's limiter for a slot, now, as {@link Connect#submit} does.
     *
     * @param remote   the destination
     * @param answer   how the destination answers
     * @param rttNanos the round-trip time of this attempt (unused for a drop)
     * @param synLoss  the probability that each SYN is lost, 0 for none
     */
    public void submit(final InetSocketAddress remote, final Answer answer, final long rttNanos, final double synLoss) {
        final int lostSyns = synLoss > 0 ? host.tcp().lostSyns(synLoss, random) : 0;
        final long now = host.loop().nanoTime();
        description.describe(remote, answer, rttNanos, lostSyns, stream, now, false);
        host.recorder().submitted(description);
        final Waiting waiting = new Waiting(this, answer, rttNanos, lostSyns, now);
        entering = waiting;
        try {
            host.limiter().newAttempt(remote, waiting);
        } finally {
            entering = null;
        }
        if (waiting.connect == null) {
            description.describe(remote, answer, rttNanos, lostSyns, stream, now, true);
            host.recorder().queued(description);
        }
    }

    /** An attempt ended: nothing to do, nobody waits for it. */
    @Override
    public void ended(final Connect connect, final Ending ending) {
        // fire and forget
    }

    private Connect adopt(final Waiting waiting, final ConnectAttempt attempt) {
        final Connect c = new Connect(host, this, random);
        c.adopt(attempt.remote(), ANSWERS[waiting.answer], waiting.rtt, waiting.lostSyns, stream,
                waiting.submittedAt, waiting != entering); // a holding gate may grant an older one in there
        waiting.connect = c;
        return c;
    }

    /** What the limiter holds of an attempt until its first callback: 40 bytes. */
    private static final class Waiting implements AttemptListener {
        private final DeferredConnects owner;
        private final long rtt;
        private final long submittedAt;
        private final byte answer;
        private final byte lostSyns;
        private Connect connect;

        Waiting(final DeferredConnects owner, final Answer answer, final long rtt, final int lostSyns, final long submittedAt) {
            this.owner = owner;
            this.rtt = rtt;
            this.submittedAt = submittedAt;
            this.answer = (byte) answer.ordinal();
            this.lostSyns = (byte) lostSyns;
        }

        @Override
        public void granted(final ConnectAttempt attempt) {
            owner.adopt(this, attempt).granted(attempt);
        }

        @Override
        public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
            (connect != null ? connect : owner.adopt(this, attempt)).failed(attempt, cause);
        }

        @Override
        public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
            connect.abort(attempt, cause);
        }
    }
}
