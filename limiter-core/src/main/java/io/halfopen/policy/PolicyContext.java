package io.halfopen.policy;

import io.halfopen.time.Scheduler;
import io.halfopen.time.Ticker;
import java.util.Objects;

/**
 * Everything a gate may use from its surroundings: a clock, a scheduler, a listener for the events of its own
 * rule, and the host's memory of the destinations it has reached. Production passes {@link Ticker#system()} and
 * {@link Scheduler#system()}; tests and the simulator pass one {@link io.halfopen.time.VirtualClock} as both,
 * so the same gate runs in production and in virtual time.
 *
 * <p>A gate reads time only from {@link #ticker()} (never {@link System#nanoTime()} or the wall clock) and
 * runs deferred work only on {@link #scheduler()} (never a thread or executor of its own). Timer tasks run on
 * the scheduler's thread (the caller of {@code VirtualClock.advance} in virtual time) and may offer slots from
 * there. Gates report events of their own rule ({@link PolicyEvent}) to {@link #listener()}, outside their
 * locks.
 *
 * <p>One context per limiter: a composite gate creates its inner gates with the same context, so that every
 * gate of one limiter shares its listener and its {@link #firstContacts()} (one host's memory, not one per
 * policy). Immutable; the {@link FirstContacts} it holds is thread-safe.
 */
public final class PolicyContext {

    private final Ticker ticker;
    private final Scheduler scheduler;
    private final PolicyListener listener;
    private final FirstContacts firstContacts;

    /**
     * Creates a context whose policy events go nowhere, with a new first-contact memory of
     * {@link FirstContacts#DEFAULT_CAPACITY}.
     *
     * @param ticker    the clock
     * @param scheduler the scheduler, on the same clock
     */
    public PolicyContext(final Ticker ticker, final Scheduler scheduler) {
        this(ticker, scheduler, PolicyListener.NONE);
    }

    /**
     * Creates a context with a new first-contact memory of {@link FirstContacts#DEFAULT_CAPACITY}.
     *
     * @param ticker    the clock
     * @param scheduler the scheduler, on the same clock
     * @param listener  receives the gate's {@link PolicyEvent}s
     */
    public PolicyContext(final Ticker ticker, final Scheduler scheduler, final PolicyListener listener) {
        this(ticker, scheduler, listener, new FirstContacts(FirstContacts.DEFAULT_CAPACITY));
    }

    /**
     * Creates a context.
     *
     * @param ticker        the clock
     * @param scheduler     the scheduler, on the same clock
     * @param listener      receives the gate's {@link PolicyEvent}s
     * @param firstContacts the host's memory of the destinations it reached: one per limiter
     */
    public PolicyContext(final Ticker ticker, final Scheduler scheduler, final PolicyListener listener,
            final FirstContacts firstContacts) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.firstContacts = Objects.requireNonNull(firstContacts, "firstContacts");
    }

    /**
     * Returns the clock.
     *
     * @return the ticker
     */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * Returns the scheduler.
     *
     * @return the scheduler
     */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * Returns where the gate reports its {@link PolicyEvent}s.
     *
     * @return the listener
     */
    public PolicyListener listener() {
        return listener;
    }

    /**
     * Returns this host's memory of the destinations it has connected to successfully: what "first contact"
     * means for every policy of this limiter.
     *
     * @return the shared memory
     */
    public FirstContacts firstContacts() {
        return firstContacts;
    }
}
