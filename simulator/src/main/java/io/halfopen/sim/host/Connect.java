package io.halfopen.sim.host;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.limiter.QueueTimeoutException;
import io.halfopen.sim.engine.Event;
import io.halfopen.sim.net.Answer;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * One simulated connect attempt, from the moment it asks its host's limiter for a slot until it ends: the
 * limiter's {@link AttemptListener} and, once its SYN is out, the event of the network's answer.
 *
 * <h2>Life</h2>
 * {@link #submit} calls {@link io.halfopen.limiter.HalfOpenLimiter#newAttempt}. When the limiter grants the slot
 * (at once, or later from the queue), the stack works out when the attempt ends from the destination's answer,
 * its RTT and the SYN timers ({@link io.halfopen.sim.net.TcpModel}) and schedules this event then; when it fires,
 * the outcome is reported to the limiter exactly as a real owner would ({@code established()}, {@code refused()},
 * {@code aborted()} after the stack gave up, {@code failed(cause)} for an ICMP unreachable), which frees the slot.
 * If the limiter's half-open timeout comes first, its {@code abort} callback closes the "socket" and reports
 * {@code aborted()}. Either way the host's recorder and then the owner are told, once.
 *
 * <p>Reusable: once ended, the owner may submit it again (a worm's scanning thread is one {@code Connect}).
 * Confined to the simulation's thread.
 */
public class Connect extends Event implements AttemptListener {

    private static final NoRouteToHostException UNREACHABLE =
            new NoRouteToHostException("ICMP destination unreachable (simulated)");

    private final SimHost host;
    private final ConnectOwner owner;
    private final SplittableRandom random;
    private InetSocketAddress remote;
    private Answer answer;
    private Answer effective;
    private long rtt;
    private int lostSyns;
    private int stream;
    private long submittedAt;
    private long grantedAt;
    private ConnectAttempt attempt;
    private boolean inFlight;
    private int submissions;
    private boolean waited;

    /**
     * Creates an attempt record.
     *
     * @param host   its host
     * @param owner  told when it ends; {@code null} for a subclass that overrides {@link #ended(Ending)}
     * @param random the source of SYN losses, drawn at submission (used only for lossy destinations)
     */
    public Connect(final SimHost host, final ConnectOwner owner, final SplittableRandom random) {
        this.host = Objects.requireNonNull(host, "host");
        this.owner = owner;
        this.random = random;
    }

    /**
     * Asks the host's limiter for a slot, now.
     *
     * @param remote    the destination
     * @param answer    how the destination answers
     * @param rttNanos  the round-trip time of this attempt (unused for a drop: an {@code RttDistribution} gives 0)
     * @param synLoss   the probability that each SYN is lost, 0 for none
     * @param streamId  which part of the workload it belongs to (for metrics)
     * @throws IllegalStateException if this attempt has not ended yet
     */
    public final void submit(final InetSocketAddress remote, final Answer answer, final long rttNanos,
            final double synLoss, final int streamId) {
        if (inFlight) {
            throw new IllegalStateException("attempt to " + this.remote + " has not ended; cannot submit it again");
        }
        this.remote = remote;
        this.answer = answer;
        this.effective = answer;
        this.rtt = rttNanos;
        this.lostSyns = synLoss > 0 ? host.tcp().lostSyns(synLoss, random) : 0;
        this.stream = streamId;
        this.submittedAt = host.loop().nanoTime();
        this.grantedAt = -1;
        this.attempt = null;
        this.waited = false;
        this.inFlight = true;
        final int submission = ++submissions;
        host.recorder().submitted(this);
        final ConnectAttempt handle = host.limiter().newAttempt(remote, this);
        if (submission == submissions && attempt == null && inFlight) {
            attempt = handle; // queued: a grant inside newAttempt set it already, a refusal ended it
            waited = true;
            host.recorder().queued(this);
        }
    }

    /**
     * Makes this record show a submission that has no record of its own (see {@link DeferredConnects}): what the
     * recorder reads of it in {@code submitted} and {@code queued}.
     */
    final void describe(final InetSocketAddress remote, final Answer answer, final long rttNanos, final int lostSyns,
            final int streamId, final long submittedAt, final boolean waited) {
        this.remote = remote;
        this.answer = answer;
        this.effective = answer;
        this.rtt = rttNanos;
        this.lostSyns = lostSyns;
        this.stream = streamId;
        this.submittedAt = submittedAt;
        this.grantedAt = -1;
        this.attempt = null;
        this.waited = waited;
    }

    /**
     * Takes over a submission of {@link DeferredConnects} when the limiter first calls back about it: from now on this
     * record is the attempt, in flight until it ends.
     */
    final void adopt(final InetSocketAddress remote, final Answer answer, final long rttNanos, final int lostSyns,
            final int streamId, final long submittedAt, final boolean waited) {
        if (inFlight) {
            throw new IllegalStateException("attempt to " + this.remote + " has not ended; cannot adopt another");
        }
        describe(remote, answer, rttNanos, lostSyns, streamId, submittedAt, waited);
        submissions++;
        inFlight = true;
    }

    // ------------------------------------------------------------------------ the limiter's callbacks

    @Override
    public final void granted(final ConnectAttempt granted) {
        attempt = granted;
        grantedAt = host.loop().nanoTime();
        final long end = host.tcp().endNanos(answer, rtt, lostSyns);
        effective = host.tcp().effective(answer, end);
        host.recorder().granted(this);
        host.loop().after(this, end);
    }

    @Override
    public final void failed(final ConnectAttempt failed, final HalfOpenLimitException cause) {
        finish(cause instanceof QueueTimeoutException ? Ending.QUEUE_TIMEOUT : Ending.REJECTED);
    }

    @Override
    public final void abort(final ConnectAttempt aborted, final HalfOpenTimeoutException cause) {
        cancel();
        aborted.aborted();
        finish(Ending.TIMED_OUT);
    }

    /**
     * The network's answer, or the stack giving up: reported to the limiter as a real owner would. While the
     * attempt is not in flight the event is its owner's to use: {@link #fireIdle()}.
     */
    @Override
    protected final void fire() {
        if (!inFlight) {
            fireIdle();
            return;
        }
        finish(report(attempt, effective));
    }

    /**
     * Tells a limiter's attempt the network's answer (or that the stack gave up) as a real owner would, and
     * returns how the attempt ended: {@code established()}, {@code refused()}, {@code failed(cause)} for an ICMP
     * unreachable, {@code aborted()} for a drop.
     *
     * @param attempt   the limiter's attempt, holding its slot
     * @param effective the answer it got
     * @return the ending
     */
    public static Ending report(final ConnectAttempt attempt, final Answer effective) {
        switch (effective) {
            case ACCEPT -> {
                attempt.established();
                return Ending.ESTABLISHED;
            }
            case REFUSE -> {
                attempt.refused();
                return Ending.REFUSED;
            }
            case UNREACHABLE -> {
                attempt.failed(UNREACHABLE);
                return Ending.UNREACHABLE;
            }
            default -> {
                attempt.aborted();
                return Ending.TIMED_OUT;
            }
        }
    }

    private void finish(final Ending ending) {
        inFlight = false;
        host.recorder().ended(this, ending);
        ended(ending);
    }

    /**
     * Called once the attempt has ended and the recorder has seen it; tells the owner. A subclass that is its
     * own owner (a scanning thread) overrides it.
     *
     * @param ending how it ended
     */
    protected void ended(final Ending ending) {
        owner.ended(this, ending);
    }

    /**
     * Runs when this event fires while the attempt is not in flight: a subclass that schedules itself between
     * attempts (to wait for its next turn) does its work here.
     */
    protected void fireIdle() {
        throw new IllegalStateException(this + " fired while not in flight, and " + getClass().getSimpleName()
                + " schedules no idle work");
    }

    /**
     * Returns whether the attempt had to wait in the limiter's queue (it did not get a slot inside
     * {@code newAttempt}).
     *
     * @return {@code true} if it waited
     */
    public final boolean waited() {
        return waited;
    }

    /**
     * Returns whether the attempt has been submitted and has not ended.
     *
     * @return {@code true} while in flight
     */
    public final boolean inFlight() {
        return inFlight;
    }

    // ------------------------------------------------------------------------ what metrics read

    /**
     * Returns the destination.
     *
     * @return the address
     */
    public final InetSocketAddress remote() {
        return remote;
    }

    /**
     * Returns how the destination answers.
     *
     * @return the answer given to {@link #submit}
     */
    public final Answer answer() {
        return answer;
    }

    /**
     * Returns the answer the attempt got: {@link Answer#DROP} if every SYN was lost or the answer came too late.
     * Meaningful once granted.
     *
     * @return the effective answer
     */
    public final Answer effectiveAnswer() {
        return effective;
    }

    /**
     * Returns the RTT given for this attempt (drawn, or a trace's; meaningless for a drop, which is never answered).
     *
     * @return nanoseconds
     */
    public final long rttNanos() {
        return rtt;
    }

    /**
     * Returns the stream (part of the workload) it belongs to.
     *
     * @return the stream id
     */
    public final int stream() {
        return stream;
    }

    /**
     * Returns when it asked for a slot.
     *
     * @return virtual nanoseconds
     */
    public final long submittedAt() {
        return submittedAt;
    }

    /**
     * Returns when it got its slot, or -1 if it has not (yet).
     *
     * @return virtual nanoseconds or -1
     */
    public final long grantedAt() {
        return grantedAt;
    }

    /**
     * Returns its host.
     *
     * @return the host
     */
    public final SimHost host() {
        return host;
    }

    @Override
    public String toString() {
        return "Connect[" + remote + ", " + answer + (inFlight ? ", in flight" : "") + "]";
    }
}
