package io.halfopen.limiter;

import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.profile.WindowsProfile;
import io.halfopen.time.Scheduler;
import io.halfopen.time.Ticker;
import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link HalfOpenLimiter}. Starts from Windows XP SP2's behaviour; every option that departs from it
 * says so. Bad values fail at once, with a message that names the option and the value.
 *
 * <p>Not thread-safe; the limiter it builds is.
 */
public final class HalfOpenLimiterBuilder {

    String name = "default";
    AdmissionPolicy policy = AdmissionPolicy.halfOpenCap(HalfOpenLimiter.XP_MAX_HALF_OPEN);
    Duration halfOpenTimeout = HalfOpenLimiter.XP_HALF_OPEN_TIMEOUT;
    Duration queueTimeout;
    int maxQueued = Integer.MAX_VALUE;
    LimitEventMode limitEventMode = LimitEventMode.ONCE_PER_EPISODE;
    boolean exemptLoopback;
    Ticker ticker = Ticker.system();
    Scheduler scheduler = Scheduler.system();
    final List<LimiterListener> listeners = new ArrayList<>();

    HalfOpenLimiterBuilder() {
    }

    /**
     * Sets how many attempts may be half-open at once: XP's FIFO cap with this number. XP SP2: 10; patchers
     * raised it (often to 50).
     *
     * @param maxHalfOpen at least 1
     * @return this builder
     */
    public HalfOpenLimiterBuilder maxHalfOpen(final int maxHalfOpen) {
        if (maxHalfOpen < 1) {
            throw new IllegalArgumentException("maxHalfOpen must be >= 1, was " + maxHalfOpen);
        }
        this.policy = AdmissionPolicy.halfOpenCap(maxHalfOpen);
        return this;
    }

    /**
     * Takes the half-open limit of a Windows version: XP SP2's cap of 10, or the unlimited policy for
     * versions without a limit (XP SP1, Vista SP2, Windows 7).
     *
     * @param profile the version
     * @return this builder
     */
    public HalfOpenLimiterBuilder profile(final WindowsProfile profile) {
        Objects.requireNonNull(profile, "profile");
        this.policy = profile.limitsHalfOpen() ? AdmissionPolicy.halfOpenCap(profile.maxHalfOpen())
                : AdmissionPolicy.unlimited();
        return this;
    }

    /**
     * Sets the admission policy, for researchers comparing policies. Replaces {@link #maxHalfOpen(int)}.
     *
     * @param policy the policy
     * @return this builder
     */
    public HalfOpenLimiterBuilder policy(final AdmissionPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Sets the longest a granted attempt may stay half-open before its owner is told to abort. XP: 21 s (SYNs
     * at 0, 3 and 9 s, given up at 21 s).
     *
     * @param halfOpenTimeout positive
     * @return this builder
     */
    public HalfOpenLimiterBuilder halfOpenTimeout(final Duration halfOpenTimeout) {
        positiveNanos("halfOpenTimeout", halfOpenTimeout);
        this.halfOpenTimeout = halfOpenTimeout;
        return this;
    }

    /**
     * Sets the longest an attempt may wait in the queue; past it the attempt fails with
     * {@link QueueTimeoutException}. Not XP's behaviour: XP let attempts wait (the default, no queue timeout).
     *
     * @param queueTimeout positive
     * @return this builder
     */
    public HalfOpenLimiterBuilder queueTimeout(final Duration queueTimeout) {
        positiveNanos("queueTimeout", queueTimeout);
        this.queueTimeout = queueTimeout;
        return this;
    }

    /**
     * Lets attempts wait in the queue as long as it takes, as XP did (the default).
     *
     * @return this builder
     */
    public HalfOpenLimiterBuilder noQueueTimeout() {
        this.queueTimeout = null;
        return this;
    }

    /**
     * Bounds the queue: an attempt that would have to wait while {@code maxQueued} others do is rejected with
     * {@link QueueFullException}. Not XP's behaviour: XP's queue was unbounded (the default). Zero means
     * "never wait": refuse at once when every slot is taken.
     *
     * @param maxQueued at least 0
     * @return this builder
     */
    public HalfOpenLimiterBuilder maxQueued(final int maxQueued) {
        if (maxQueued < 0) {
            throw new IllegalArgumentException("maxQueued must be >= 0, was " + maxQueued);
        }
        this.maxQueued = maxQueued;
        return this;
    }

    /**
     * Sets how often event 4226 is raised. Default: once per throttling episode.
     *
     * @param mode the frequency
     * @return this builder
     */
    public HalfOpenLimiterBuilder limitEvents(final LimitEventMode mode) {
        this.limitEventMode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * Lets connects to loopback addresses (127.0.0.0/8, ::1) bypass the limit: neither counted nor delayed.
     * Default {@code false}: whether XP counted loopback is undocumented, and the weak evidence says it did.
     *
     * @param exemptLoopback whether loopback is exempt
     * @return this builder
     */
    public HalfOpenLimiterBuilder exemptLoopback(final boolean exemptLoopback) {
        this.exemptLoopback = exemptLoopback;
        return this;
    }

    /**
     * Sets the clock. Default: {@link Ticker#system()}.
     *
     * @param ticker the clock
     * @return this builder
     */
    public HalfOpenLimiterBuilder ticker(final Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /**
     * Sets the scheduler that runs the timeouts. Default: {@link Scheduler#system()}, one shared daemon thread.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public HalfOpenLimiterBuilder scheduler(final Scheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    /**
     * Runs the limiter in virtual time: {@code clock} is both its ticker and its scheduler.
     *
     * @param clock the virtual clock
     * @return this builder
     */
    public HalfOpenLimiterBuilder clock(final VirtualClock clock) {
        Objects.requireNonNull(clock, "clock");
        this.ticker = clock;
        this.scheduler = clock;
        return this;
    }

    /**
     * Adds a listener for event 4226 and attempt ends.
     *
     * @param listener the listener
     * @return this builder
     */
    public HalfOpenLimiterBuilder listener(final LimiterListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Names the limiter in logs and errors. Default: {@code "default"}.
     *
     * @param name a non-blank name
     * @return this builder
     */
    public HalfOpenLimiterBuilder name(final String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was \"" + name + "\"");
        }
        this.name = name;
        return this;
    }

    /**
     * Builds the limiter.
     *
     * @return a new limiter
     */
    public HalfOpenLimiter build() {
        return HalfOpenLimiter.build(this);
    }

    static long positiveNanos(final String option, final Duration value) {
        Objects.requireNonNull(value, option);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, was " + value);
        }
        try {
            return value.toNanos();
        } catch (final ArithmeticException overflow) {
            throw new IllegalArgumentException(option + " is too long (at most about 292 years), was " + value,
                    overflow);
        }
    }
}
