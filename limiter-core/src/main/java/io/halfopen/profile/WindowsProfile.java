package io.halfopen.profile;

import java.util.Objects;

/**
 * Windows versions and the two connection limits halfopen reproduces: the outbound half-open connect limit
 * (XP SP2's 10, event 4226) and the inbound session limit (XP Pro's 10 remote computers, XP Home's 5,
 * error 71).
 *
 * <p>Each number carries a {@link Confidence}: {@link Confidence#CONFIRMED} where a Microsoft text or a
 * measurement says so, {@link Confidence#UNCONFIRMED} where nobody documents it and halfopen picked the
 * number third-party sources agree on. The sources are listed in the project's {@code FACTS.md}
 * ({@code shared/FACTS.md} and {@code shared/research/xp-facts.md}).
 *
 * <p>A limit of {@link #UNLIMITED} means the version had no such limit. Immutable and thread-safe.
 */
public enum WindowsProfile {

    /** Windows NT 4.0 Workstation: no half-open limit; 10 inbound sessions (KB 122920). */
    NT4_WORKSTATION("Windows NT 4.0 Workstation", Limit.none(), Limit.confirmed(10)),

    /** Windows 2000 Professional: no half-open limit; 10 inbound sessions (KB 122920). */
    WINDOWS_2000_PROFESSIONAL("Windows 2000 Professional", Limit.none(), Limit.confirmed(10)),

    /** Windows XP Professional RTM and SP1: no half-open limit yet; 10 inbound sessions (KB 314882). */
    XP_PRO_SP1("Windows XP Professional SP1", Limit.none(), Limit.confirmed(10)),

    /** Windows XP Home Edition RTM and SP1: no half-open limit yet; 5 inbound sessions (KB 314882). */
    XP_HOME_SP1("Windows XP Home Edition SP1", Limit.none(), Limit.confirmed(5)),

    /** Windows XP Professional SP2: 10 half-open connects (event 4226); 10 inbound sessions. */
    XP_PRO_SP2("Windows XP Professional SP2", Limit.confirmed(10), Limit.confirmed(10)),

    /** Windows XP Home Edition SP2: 10 half-open connects (event 4226); 5 inbound sessions. */
    XP_HOME_SP2("Windows XP Home Edition SP2", Limit.confirmed(10), Limit.confirmed(5)),

    /** Windows XP Professional SP3: as SP2. */
    XP_PRO_SP3("Windows XP Professional SP3", Limit.confirmed(10), Limit.confirmed(10)),

    /** Windows XP Home Edition SP3: as SP2. */
    XP_HOME_SP3("Windows XP Home Edition SP3", Limit.confirmed(10), Limit.confirmed(5)),

    /**
     * Windows Server 2003 SP1 and later service packs: 10 half-open connects; a server OS, so no
     * workstation session limit.
     */
    SERVER_2003_SP1("Windows Server 2003 SP1", Limit.confirmed(10), Limit.none()),

    /**
     * Windows Vista Starter, RTM and SP1: 10 half-open connects (the edition-specific numbers are
     * unconfirmed); 5 inbound sessions (third-party sources only).
     */
    VISTA_STARTER_SP1("Windows Vista Starter SP1", Limit.confirmed(10), Limit.unconfirmed(5)),

    /**
     * Windows Vista Home Basic, RTM and SP1: 2 half-open connects according to third-party sources that
     * conflict with others (unconfirmed); 5 inbound sessions (unconfirmed).
     */
    VISTA_HOME_BASIC_SP1("Windows Vista Home Basic SP1", Limit.unconfirmed(2), Limit.unconfirmed(5)),

    /** Windows Vista Business, Home Premium and Enterprise, RTM and SP1: 10 half-open; 10 sessions (unconfirmed). */
    VISTA_BUSINESS_SP1("Windows Vista Business SP1", Limit.confirmed(10), Limit.unconfirmed(10)),

    /** Windows Vista Ultimate, RTM and SP1: 25 half-open (unconfirmed); 10 sessions (unconfirmed). */
    VISTA_ULTIMATE_SP1("Windows Vista Ultimate SP1", Limit.unconfirmed(25), Limit.unconfirmed(10)),

    /**
     * Windows Vista SP2 and Server 2008 SP2: no half-open limit by default
     * ({@code EnableConnectionRateLimiting}=1 restores 10); 10 sessions (unconfirmed).
     */
    VISTA_SP2("Windows Vista SP2", Limit.none(), Limit.unconfirmed(10)),

    /** Windows 7 and later: no half-open limit by default; 20 inbound sessions (third-party sources only). */
    WINDOWS_7("Windows 7", Limit.none(), Limit.unconfirmed(20));

    /** The value of a limit that did not exist on that version. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    private final String displayName;
    private final Limit halfOpen;
    private final Limit inboundSessions;

    WindowsProfile(final String displayName, final Limit halfOpen, final Limit inboundSessions) {
        this.displayName = displayName;
        this.halfOpen = halfOpen;
        this.inboundSessions = inboundSessions;
    }

    /**
     * Returns the product name, for logs and reports.
     *
     * @return a name such as "Windows XP Professional SP2"
     */
    public String displayName() {
        return displayName;
    }

    /**
     * Returns how many outbound TCP connects may be half-open at once, or {@link #UNLIMITED}.
     *
     * @return the half-open limit
     */
    public int maxHalfOpen() {
        return halfOpen.value;
    }

    /**
     * Returns whether {@link #maxHalfOpen()} is documented or measured rather than picked.
     *
     * @return the confidence in the half-open limit
     */
    public Confidence maxHalfOpenConfidence() {
        return halfOpen.confidence;
    }

    /**
     * Returns whether the version throttles half-open connects at all.
     *
     * @return {@code true} if {@link #maxHalfOpen()} is finite
     */
    public boolean limitsHalfOpen() {
        return halfOpen.value != UNLIMITED;
    }

    /**
     * Returns how many remote computers may hold sessions at once, or {@link #UNLIMITED}.
     *
     * @return the inbound session limit
     */
    public int maxInboundSessions() {
        return inboundSessions.value;
    }

    /**
     * Returns whether {@link #maxInboundSessions()} is documented rather than picked.
     *
     * @return the confidence in the inbound session limit
     */
    public Confidence maxInboundSessionsConfidence() {
        return inboundSessions.confidence;
    }

    @Override
    public String toString() {
        return displayName;
    }

    /** How sure halfopen is of a number. */
    public enum Confidence {
        /** A Microsoft text or a measurement gives the number. */
        CONFIRMED,
        /** Only third-party sources give the number, or they conflict; halfopen picked one. */
        UNCONFIRMED
    }

    private static final class Limit {
        final int value;
        final Confidence confidence;

        private Limit(final int value, final Confidence confidence) {
            this.value = value;
            this.confidence = Objects.requireNonNull(confidence);
        }

        static Limit confirmed(final int value) {
            return new Limit(value, Confidence.CONFIRMED);
        }

        static Limit unconfirmed(final int value) {
            return new Limit(value, Confidence.UNCONFIRMED);
        }

        static Limit none() {
            return new Limit(UNLIMITED, Confidence.CONFIRMED);
        }
    }
}
