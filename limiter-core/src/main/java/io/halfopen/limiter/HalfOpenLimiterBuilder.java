package io.halfopen.limiter;

import io.halfopen.policy.AdmissionGate;
import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.policy.FirstContacts;
import io.halfopen.policy.PolicyContext;
import io.halfopen.policy.PolicyRegistry;
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
 * <p>Each setting is made once: a second call that sets the same thing, directly or through another option
 * ({@link #maxHalfOpen(int)}, {@link #profile(WindowsProfile)} and {@link #policy(AdmissionPolicy)} all set
 * the policy; {@link #clock(VirtualClock)} sets the ticker and the scheduler), fails with an
 * {@link IllegalStateException} that names both, for example
 * {@code "maxHalfOpen was already set to 10 by profile(XP_PRO_SP2)"}. A ticker needs its scheduler: a
 * limiter whose timeouts ran on another clock than its ticker would time attempts inconsistently, so
 * {@link #build()} refuses a {@link #ticker(Ticker)} without a {@link #scheduler(Scheduler)}; a
 * {@link VirtualClock} gives both at once ({@link #clock(VirtualClock)}).
 *
 * <p>Not thread-safe; the limiter it builds is.
 */
public final class HalfOpenLimiterBuilder {

    private String name = "default";
    private AdmissionPolicy policy = AdmissionPolicy.halfOpenCap(HalfOpenLimiter.XP_MAX_HALF_OPEN);
    private Duration halfOpenTimeout = HalfOpenLimiter.XP_HALF_OPEN_TIMEOUT;
    private Duration queueTimeout;
    private int maxQueued = Integer.MAX_VALUE;
    private LimitEventMode limitEventMode = LimitEventMode.ONCE_PER_EPISODE;
    private boolean exemptLoopback;
    private Ticker ticker = Ticker.system();
    private Scheduler scheduler = Scheduler.system();
    private final List<LimiterListener> listeners = new ArrayList<>();
    private Duration releaseInterval;
    private String releaseIntervalSetBy;

    /** Which call set each setting, for the "already set" message; {@code null} while at its default. */
    private String policySetBy;
    private String nameSetBy;
    private String halfOpenTimeoutSetBy;
    private String queueTimeoutSetBy;
    private String maxQueuedSetBy;
    private String limitEventsSetBy;
    private String exemptLoopbackSetBy;
    private String tickerSetBy;
    private String schedulerSetBy;

    HalfOpenLimiterBuilder() {
    }

    private static String once(final String setting, final String current, final String setBy, final String by) {
        if (setBy != null) {
            throw new IllegalStateException(setting + " was already set to " + current + " by " + setBy
                    + "; cannot set it again by " + by);
        }
        return by;
    }

    private void setPolicy(final AdmissionPolicy policy, final String setting, final String by) {
        policySetBy = once(setting, policyDescription(), policySetBy, by);
        this.policy = policy;
    }

    private String policyDescription() {
        return policySetBy != null && policySetBy.startsWith("policy(") ? policy.name()
                : policy.maxHalfOpen() == Integer.MAX_VALUE ? "unlimited" : Integer.toString(policy.maxHalfOpen());
    }

    /**
     * Sets how many attempts may be half-open at once: XP's FIFO cap with this number. XP SP2: 10; patchers
     * raised it (often to 50).
     *
     * @param maxHalfOpen at least 1
     * @return this builder
     * @throws IllegalStateException if the policy was already set (by this, {@link #profile} or {@link #policy})
     */
    public HalfOpenLimiterBuilder maxHalfOpen(final int maxHalfOpen) {
        if (maxHalfOpen < 1) {
            throw new IllegalArgumentException("maxHalfOpen must be >= 1, was " + maxHalfOpen);
        }
        setPolicy(AdmissionPolicy.halfOpenCap(maxHalfOpen), "maxHalfOpen", "maxHalfOpen(" + maxHalfOpen + ")");
        return this;
    }

    /**
     * Takes the half-open limit of a Windows version: XP SP2's cap of 10, or the unlimited policy for
     * versions without a limit (XP SP1, Vista SP2, Windows 7).
     *
     * @param profile the version
     * @return this builder
     * @throws IllegalStateException if the policy was already set
     */
    public HalfOpenLimiterBuilder profile(final WindowsProfile profile) {
        Objects.requireNonNull(profile, "profile");
        setPolicy(profile.limitsHalfOpen() ? AdmissionPolicy.halfOpenCap(profile.maxHalfOpen())
                : AdmissionPolicy.unlimited(), "maxHalfOpen", "profile(" + profile.name() + ")");
        return this;
    }

    /**
     * Sets the admission policy, for researchers comparing policies; instead of {@link #maxHalfOpen(int)} or
     * {@link #profile(WindowsProfile)}.
     *
     * @param policy the policy
     * @return this builder
     * @throws IllegalStateException if the policy was already set
     */
    public HalfOpenLimiterBuilder policy(final AdmissionPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        setPolicy(policy, "policy", "policy(" + policy.name() + ")");
        return this;
    }

    /**
     * Sets the admission policy by name, in the syntax of {@link PolicyRegistry}, such as
     * {@code "williamson(workingSet=5, release=1s)"} or {@code "perDestination(k=2, within=halfOpenCap(10))"}:
     * for a configuration file; the same as {@code policy(PolicyRegistry.builtIn().parse(policy))}.
     *
     * @param policy the policy in text
     * @return this builder
     * @throws io.halfopen.policy.PolicySyntaxException if the text is wrong (the message says what and where)
     * @throws IllegalStateException if the policy was already set
     */
    public HalfOpenLimiterBuilder policy(final String policy) {
        Objects.requireNonNull(policy, "policy");
        final AdmissionPolicy parsed = PolicyRegistry.builtIn().parse(policy);
        setPolicy(parsed, "policy", "policy(\"" + policy + "\")");
        return this;
    }

    /**
     * Releases the queue at a fixed rate: queued attempts leave it no faster than one per {@code interval}, and
     * only into a free slot, whatever policy the builder has ({@link #maxHalfOpen}, {@link #profile}, or
     * {@link #policy}); attempts that find a free slot and nobody waiting still go at once. Microsoft's words for
     * XP SP2 are that attempts past the limit "are put in a queue and resolved at a fixed rate", with no rate
     * documented: this is one reading of them, off by default (a queued attempt goes as soon as a slot frees).
     * See {@link io.halfopen.policy.FixedRatePolicy}.
     *
     * @param interval the least time between two releases, positive
     * @return this builder
     */
    public HalfOpenLimiterBuilder releaseAtFixedRate(final Duration interval) {
        positiveNanos("releaseAtFixedRate", interval);
        releaseIntervalSetBy = once("releaseAtFixedRate", String.valueOf(releaseInterval), releaseIntervalSetBy,
                "releaseAtFixedRate(" + interval + ")");
        this.releaseInterval = interval;
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
        halfOpenTimeoutSetBy = once("halfOpenTimeout", String.valueOf(this.halfOpenTimeout), halfOpenTimeoutSetBy,
                "halfOpenTimeout(" + halfOpenTimeout + ")");
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
        queueTimeoutSetBy = once("queueTimeout", String.valueOf(this.queueTimeout), queueTimeoutSetBy,
                "queueTimeout(" + queueTimeout + ")");
        this.queueTimeout = queueTimeout;
        return this;
    }

    /**
     * Lets attempts wait in the queue as long as it takes, as XP did (the default).
     *
     * @return this builder
     */
    public HalfOpenLimiterBuilder noQueueTimeout() {
        queueTimeoutSetBy = once("queueTimeout", String.valueOf(this.queueTimeout), queueTimeoutSetBy,
                "noQueueTimeout()");
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
        maxQueuedSetBy = once("maxQueued", Integer.toString(this.maxQueued), maxQueuedSetBy,
                "maxQueued(" + maxQueued + ")");
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
        Objects.requireNonNull(mode, "mode");
        limitEventsSetBy = once("limitEvents", limitEventMode.name(), limitEventsSetBy, "limitEvents(" + mode + ")");
        this.limitEventMode = mode;
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
        exemptLoopbackSetBy = once("exemptLoopback", Boolean.toString(this.exemptLoopback), exemptLoopbackSetBy,
                "exemptLoopback(" + exemptLoopback + ")");
        this.exemptLoopback = exemptLoopback;
        return this;
    }

    /**
     * Sets the clock. Default: {@link Ticker#system()}. Needs {@link #scheduler(Scheduler)} on the same clock
     * too; for virtual time use {@link #clock(VirtualClock)}.
     *
     * @param ticker the clock
     * @return this builder
     */
    public HalfOpenLimiterBuilder ticker(final Ticker ticker) {
        Objects.requireNonNull(ticker, "ticker");
        tickerSetBy = once("ticker", String.valueOf(this.ticker), tickerSetBy, "ticker(" + ticker + ")");
        this.ticker = ticker;
        return this;
    }

    /**
     * Sets the scheduler that runs the timeouts. Default: {@link Scheduler#system()}, one shared daemon thread.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public HalfOpenLimiterBuilder scheduler(final Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        schedulerSetBy = once("scheduler", String.valueOf(this.scheduler), schedulerSetBy,
                "scheduler(" + scheduler + ")");
        this.scheduler = scheduler;
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
        final String by = "clock(" + clock + ")";
        tickerSetBy = once("ticker", String.valueOf(this.ticker), tickerSetBy, by);
        schedulerSetBy = once("scheduler", String.valueOf(this.scheduler), schedulerSetBy, by);
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
        nameSetBy = once("name", "\"" + this.name + "\"", nameSetBy, "name(\"" + name + "\")");
        this.name = name;
        return this;
    }

    /**
     * Builds the limiter.
     *
     * @return a new limiter
     * @throws IllegalStateException if the ticker and the scheduler do not run on one clock (see above)
     */
    public HalfOpenLimiter build() {
        checkOneClock();
        final AdmissionPolicy policy = releaseInterval == null ? this.policy
                : AdmissionPolicy.fixedRate(releaseInterval).within(this.policy);
        final LimiterCounters counters = new LimiterCounters();
        final LimitEvents events = new LimitEvents(name, policy.maxHalfOpen(), limitEventMode, ticker, listeners,
                counters);
        final AdmissionGate gate = Objects.requireNonNull(policy.newGate(new PolicyContext(ticker, scheduler,
                new PolicyEventRelay(name, listeners), new FirstContacts(FirstContacts.DEFAULT_CAPACITY))),
                () -> "policy " + policy.name() + " returned a null gate");
        return HalfOpenLimiter.build(new AttemptContext(name, policy, gate, ticker, scheduler,
                halfOpenTimeout.toNanos(), queueTimeout == null ? 0L : queueTimeout.toNanos(), exemptLoopback,
                counters, events, new WaitingRoom(maxQueued, events, counters)));
    }

    private void checkOneClock() {
        if (tickerSetBy != null && schedulerSetBy == null) {
            throw new IllegalStateException("ticker was set by " + tickerSetBy + " without a scheduler: the"
                    + " timeouts would run on the system scheduler's clock while attempts are timed by that ticker;"
                    + " set scheduler(...) on the same clock, or use clock(VirtualClock)");
        }
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
