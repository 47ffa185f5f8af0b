package io.halfopen.benchmarks.handoff;

import org.openjdk.jmh.infra.Control;

/**
 * One benchmark thread's share of a saturated gate: it keeps a fixed number of attempts outstanding (held,
 * granted or queued) and cycles one attempt per op.
 */
public interface Lane {

    /**
     * Waits until this lane holds a permit, holds it for {@code holdTokens} of {@code Blackhole.consumeCPU},
     * releases it (handing it to the oldest waiter, which may be the other thread's) and starts a new attempt.
     *
     * @param control    JMH's control: a lane stops waiting once measurement stops, so that a thread never
     *                   waits for a grant from a thread that has already left the iteration
     * @param holdTokens work done while holding the permit
     * @return {@code true} if an attempt was cycled, {@code false} if the wait was abandoned at the end of an
     *         iteration
     */
    boolean cycle(Control control, int holdTokens);
}
