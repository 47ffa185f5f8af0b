package io.halfopen.session;

import io.halfopen.profile.WindowsProfile;
import io.halfopen.time.Scheduler;
import io.halfopen.time.Ticker;
import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Configures an {@link InboundSessionLimiter}; start with {@link InboundSessionLimiter#builder()}.
 *
 * <p>Defaults reproduce Windows XP Professional SP2: 10 sessions, AutoDisconnect after 15 minutes idle,
 * null sessions expire after 60 s idle, anonymous connections allowed, no exemptions, system time. Every
 * setter checks its argument at once: a null fails with a {@link NullPointerException} naming the
 * parameter, a bad value with an {@link IllegalArgumentException} naming the parameter and the value.
 *
 * <p>Not thread-safe: configure on one thread, then {@link #build()}. Builders can be reused; each
 * {@code build()} makes an independent limiter.
 */
public final class InboundSessionLimiterBuilder {

    /** The AutoDisconnect default of Windows: 15 minutes. */
    public static final Duration DEFAULT_AUTO_DISCONNECT = Duration.ofMinutes(15);

    /**
     * What an AutoDisconnect of 0 minutes means here: Windows documents it as "within seconds" (its server
     * scavenger looks about every 15 s); halfopen disconnects a session once it has been idle 1 second.
     */
    public static final Duration ZERO_MINUTE_AUTO_DISCONNECT = Duration.ofSeconds(1);

    /** How long a null session may stay idle by default: 60 s, within the documented 30–90 s. */
    public static final Duration DEFAULT_NULL_SESSION_IDLE_TIMEOUT = Duration.ofSeconds(60);

    private static final long DISABLED = -1L;
    private static final long MAX_AUTO_DISCONNECT_MINUTES = 0xFFFF_FFFEL;

    int maxSessions = WindowsProfile.XP_PRO_SP2.maxInboundSessions();
    String limitSource = WindowsProfile.XP_PRO_SP2.displayName();
    long autoDisconnectNanos = DEFAULT_AUTO_DISCONNECT.toNanos();
    long nullSessionIdleNanos = DEFAULT_NULL_SESSION_IDLE_TIMEOUT.toNanos();
    boolean restrictAnonymous;
    Predicate<ConnectionInfo> exemption = info -> false;
    SessionListener listener = SessionListener.NONE;
    Ticker ticker = Ticker.system();
    Scheduler scheduler = Scheduler.system();

    InboundSessionLimiterBuilder() {
    }

    /**
     * Takes the inbound session limit of a Windows version: 10 for XP Professional, NT 4.0 Workstation and
     * 2000 Professional, 5 for XP Home; Vista (5 Starter and Home Basic, 10 others) and Windows 7 (20) are
     * unconfirmed (see {@link WindowsProfile#maxInboundSessionsConfidence()}); server versions are
     * unlimited.
     *
     * @param profile the Windows version; never null
     * @return this builder
     */
    public InboundSessionLimiterBuilder profile(final WindowsProfile profile) {
        Objects.requireNonNull(profile, "profile");
        this.maxSessions = profile.maxInboundSessions();
        this.limitSource = profile.displayName()
                + (profile.maxInboundSessionsConfidence() == WindowsProfile.Confidence.UNCONFIRMED
                ? " (unconfirmed)" : "");
        return this;
    }

    /**
     * Sets how many sessions may be open at once, null sessions included, exempt sessions excluded.
     * Zero refuses every session that is not exempt.
     *
     * @param maxSessions the limit, at least 0; {@link WindowsProfile#UNLIMITED} for no limit
     * @return this builder
     */
    public InboundSessionLimiterBuilder maxSessions(final int maxSessions) {
        if (maxSessions < 0) {
            throw new IllegalArgumentException("maxSessions must be >= 0, was " + maxSessions);
        }
        this.maxSessions = maxSessions;
        this.limitSource = maxSessions == WindowsProfile.UNLIMITED ? "unlimited" : "custom limit";
        return this;
    }

    /**
     * Lifts the session limit: sessions are still tracked, listed and timed out, never refused.
     *
     * @return this builder
     */
    public InboundSessionLimiterBuilder unlimited() {
        return maxSessions(WindowsProfile.UNLIMITED);
    }

    /**
     * Ends sessions idle longer than {@code idleTime}, closing their connections.
     *
     * @param idleTime the AutoDisconnect time, greater than zero
     * @return this builder
     * @see #autoDisconnectMinutes(long) for Windows' registry values, where 0 and -1 mean something
     */
    public InboundSessionLimiterBuilder autoDisconnect(final Duration idleTime) {
        this.autoDisconnectNanos = positiveNanos(idleTime, "autoDisconnect");
        return this;
    }

    /**
     * Takes AutoDisconnect as Windows' {@code LanmanServer\Parameters\autodisconnect} registry value, in
     * minutes: -1 (or its DWORD form 4294967295) disables it; 0 means "within seconds", here
     * {@link #ZERO_MINUTE_AUTO_DISCONNECT}; any other value is that many minutes (default 15).
     *
     * @param minutes -1, 0, or a number of minutes up to 4294967294
     * @return this builder
     */
    public InboundSessionLimiterBuilder autoDisconnectMinutes(final long minutes) {
        if (minutes == -1L || minutes == 0xFFFF_FFFFL) {
            this.autoDisconnectNanos = DISABLED;
        } else if (minutes == 0L) {
            this.autoDisconnectNanos = ZERO_MINUTE_AUTO_DISCONNECT.toNanos();
        } else if (minutes > 0L && minutes <= MAX_AUTO_DISCONNECT_MINUTES) {
            this.autoDisconnectNanos = saturatedNanos(Duration.ofMinutes(minutes));
        } else {
            throw new IllegalArgumentException("autoDisconnectMinutes must be -1 (disabled), 0 (within seconds) "
                    + "or 1.." + MAX_AUTO_DISCONNECT_MINUTES + " minutes, was " + minutes);
        }
        return this;
    }

    /**
     * Sets how long a null (anonymous) session may stay idle before it expires and its connection is
     * closed. Windows documents 30–90 s for its temporary null sessions; any positive time is accepted. A
     * shorter AutoDisconnect also applies to null sessions. Neither ends a null session with an open handle
     * (KB 328459's stuck {@code \PIPE\spoolss}).
     *
     * @param idleTime the null-session idle time, greater than zero; default 60 s
     * @return this builder
     */
    public InboundSessionLimiterBuilder nullSessionIdleTimeout(final Duration idleTime) {
        this.nullSessionIdleNanos = positiveNanos(idleTime, "nullSessionIdleTimeout");
        return this;
    }

    /**
     * Refuses every anonymous logon with system error 5 ("Access is denied."): a connection declared anonymous
     * at admission, or {@link SessionConnection#authenticateAnonymously()}. Such connections never open a null
     * session, so a stuck RPC cannot keep one: KB 328459's first resolution, "disable null session connections"
     * on the computer that exceeds its limit. (The KB also notes that null sessions from Windows 2000 clients
     * can still be counted when Windows rejects them; halfopen refuses before counting.)
     *
     * @param restrictAnonymous whether to refuse anonymous connections; default {@code false}
     * @return this builder
     */
    public InboundSessionLimiterBuilder restrictAnonymous(final boolean restrictAnonymous) {
        this.restrictAnonymous = restrictAnonymous;
        return this;
    }

    /**
     * Exempts connections from the limit, for administrative clients (KB 314882: the limit "does not apply
     * to the use of administrative tools"). A session opened by an exempt connection is listed and timed
     * out like any other but does not count against the limit and is never refused. The predicate is
     * evaluated when a connection is admitted and again when it authenticates or logs on anonymously, outside
     * the limiter's lock; when the first user to authenticate names a computer's session, the session takes
     * that connection's exemption.
     *
     * @param exemption tells whether a connection is administrative; never null; must be thread-safe
     * @return this builder
     */
    public InboundSessionLimiterBuilder exempt(final Predicate<ConnectionInfo> exemption) {
        this.exemption = Objects.requireNonNull(exemption, "exemption");
        return this;
    }

    /**
     * Sets the listener told of sessions opened, ended and refused.
     *
     * @param listener the listener; never null
     * @return this builder
     */
    public InboundSessionLimiterBuilder listener(final SessionListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Sets the clock idle times are measured with; default {@link Ticker#system()}.
     *
     * @param ticker the ticker; never null
     * @return this builder
     */
    public InboundSessionLimiterBuilder ticker(final Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /**
     * Sets the scheduler idle checks run on; default {@link Scheduler#system()}.
     *
     * @param scheduler the scheduler; never null
     * @return this builder
     */
    public InboundSessionLimiterBuilder scheduler(final Scheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    /**
     * Runs the limiter in virtual time: {@code clock} is both its ticker and its scheduler.
     *
     * @param clock the virtual clock; never null
     * @return this builder
     */
    public InboundSessionLimiterBuilder clock(final VirtualClock clock) {
        Objects.requireNonNull(clock, "clock");
        return ticker(clock).scheduler(clock);
    }

    /**
     * Builds a limiter with the current settings.
     *
     * @return a new, empty limiter
     */
    public InboundSessionLimiter build() {
        return new InboundSessionLimiter(this);
    }

    private static long positiveNanos(final Duration duration, final String parameter) {
        Objects.requireNonNull(duration, parameter);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(parameter + " must be > 0, was " + duration);
        }
        return saturatedNanos(duration);
    }

    private static long saturatedNanos(final Duration duration) {
        try {
            return duration.toNanos();
        } catch (final ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }
}
