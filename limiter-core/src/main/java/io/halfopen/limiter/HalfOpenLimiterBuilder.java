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
import java.util.concurrent.atomic.LongAdder;

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
    private Duration limitEventMinInterval;
    private boolean shadow;
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
    private String limitEventMinIntervalSetBy;
    private String shadowSetBy;
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
     * Raises event 4226 at most once per {@code minInterval}: a queue that empties and refills many times a
     * second starts an episode each time, and would otherwise log a WARN line (and raise a JFR event and a
     * listener call) for each. The first episode after a calm interval raises its event at once; the episodes
     * that start within the next {@code minInterval} are folded into one event at the interval's end, whose
     * {@link LimitReached#episodes()} (and log line, and JFR event) says how many it stands for. Every episode
     * is in exactly one event. Default: none, every episode raises its own event. With
     * {@link LimitEventMode#EVERY_THROTTLED_ATTEMPT} the throttled attempts are folded the same way. Runs on the
     * limiter's ticker and scheduler, so it follows a {@link VirtualClock}.
     *
     * @param minInterval positive
     * @return this builder
     * @throws IllegalArgumentException if {@code minInterval} is zero, negative or too long for nanoseconds
     */
    public HalfOpenLimiterBuilder limitEventMinInterval(final Duration minInterval) {
        positiveNanos("limitEventMinInterval", minInterval);
        limitEventMinIntervalSetBy = once("limitEventMinInterval", String.valueOf(this.limitEventMinInterval),
                limitEventMinIntervalSetBy, "limitEventMinInterval(" + minInterval + ")");
        this.limitEventMinInterval = minInterval;
        return this;
    }

    /**
     * Shadow mode, for operators choosing a limit on live traffic: the limiter admits every attempt at once
     * (nothing is ever queued, refused or delayed: real attempts never wait), and records what the chosen policy
     * would have done, as if every attempt had arrived when it did, waited as the policy would have made it
     * wait, and then been half-open as long as it really was: how many would have queued, how long each would
     * have waited ({@link LimiterListener#wouldHaveWaited}, for a histogram), how many the policy would have
     * refused, and event 4226 where the policy would have started throttling, marked
     * {@linkplain LimitReached#shadow() shadow} and logged at INFO on the logger
     * {@code io.halfopen.limiter.HalfOpenLimiter.shadow}. {@link HalfOpenLimiter#shadowStats()} has the
     * figures. Works with any {@linkplain #policy(AdmissionPolicy) policy}, and with every owner of attempts
     * unchanged (the Netty handler, the JDK sockets). The half-open timeout still applies: it is not the
     * policy's.
     *
     * <p>Not with {@link #maxQueued(int)} or {@link #queueTimeout(Duration)}: nothing waits in shadow mode, so
     * neither would ever apply; the would-have-waited histogram says how many would have waited longer than a
     * given timeout. {@link #build()} refuses the combination.
     *
     * @param shadow whether to run in shadow mode (default {@code false})
     * @return this builder
     */
    public HalfOpenLimiterBuilder shadow(final boolean shadow) {
        shadowSetBy = once("shadow", Boolean.toString(this.shadow), shadowSetBy, "shadow(" + shadow + ")");
        this.shadow = shadow;
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
     * @throws IllegalStateException if the ticker and the scheduler do not run on one clock (see above), if
     *                               {@link #limitEventMinInterval} is set with {@link LimitEventMode#NEVER}, or if
     *                               {@link #shadow(boolean) shadow mode} is set with a queue bound or a queue
     *                               timeout
     */
    public HalfOpenLimiter build() {
        checkOneClock();
        checkEventsPaced();
        checkShadow();
        final AdmissionPolicy policy = releaseInterval == null ? this.policy
                : AdmissionPolicy.fixedRate(releaseInterval).within(this.policy);
        final LimiterCounters counters = new LimiterCounters();
        final LongAdder shadowEvents = shadow ? new LongAdder() : null;
        final LimitEvents events = new LimitEvents(name, policy.maxHalfOpen(), limitEventMode, ticker, scheduler,
                limitEventMinInterval == null ? 0L : limitEventMinInterval.toNanos(), listeners, counters,
                shadow ? new LimitEvents.Shadow(policy.name(), policy.maxHalfOpen(), shadowEvents) : null);
        final AdmissionGate chosen = Objects.requireNonNull(policy.newGate(new PolicyContext(ticker, scheduler,
                new PolicyEventRelay(name, events), new FirstContacts(FirstContacts.DEFAULT_CAPACITY))),
                () -> "policy " + policy.name() + " returned a null gate");
        final AdmissionGate gate = shadow ? new ShadowGate(chosen, ticker, scheduler, events, shadowEvents) : chosen;
        return HalfOpenLimiter.build(new AttemptContext(name, policy, gate, ticker, scheduler,
                halfOpenTimeout.toNanos(), queueTimeout == null ? 0L : queueTimeout.toNanos(), exemptLoopback,
                counters, events, new WaitingRoom(maxQueued, events, counters)));
    }

    private void checkEventsPaced() {
        if (limitEventMinInterval != null && limitEventMode == LimitEventMode.NEVER) {
            throw new IllegalStateException("limitEventMinInterval was set by " + limitEventMinIntervalSetBy
                    + ", but " + limitEventsSetBy + " raises no event 4226 to pace; drop one of them");
        }
    }

    private void checkShadow() {
        if (!shadow) {
            return;
        }
        if (maxQueuedSetBy != null && maxQueued != Integer.MAX_VALUE) {
            throw new IllegalStateException("shadow(true) admits every attempt at once, so " + maxQueuedSetBy
                    + " would never apply; drop it (shadowStats().peakQueued() says how long the queue would have"
                    + " grown)");
        }
        if (queueTimeout != null) {
            throw new IllegalStateException("shadow(true) admits every attempt at once, so " + queueTimeoutSetBy
                    + " would never apply; drop it (LimiterListener.wouldHaveWaited gives every wait the policy"
                    + " would have imposed)");
        }
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
