package io.halfopen.sim.population;

import io.halfopen.sim.host.Connect;
import io.halfopen.sim.host.Ending;

/**
 * One scanning thread of an infected host: connect, wait for the outcome, infect the target if it was a
 * vulnerable host that accepted, take the next turn. Its own attempt record, reused for every scan.
 */
final class WormThread extends Connect {

    private final Epidemic epidemic;
    private final Worm worm;
    private int target = -1;

    WormThread(final Epidemic epidemic, final Worm worm) {
        super(worm.host(), null, null);
        this.epidemic = epidemic;
        this.worm = worm;
    }

    Worm worm() {
        return worm;
    }

    void target(final int hostIndex) {
        target = hostIndex;
    }

    /** Waits for this worm's next turn. */
    void schedule() {
        worm.host().loop().at(this, worm.takeTurn(worm.host().loop().nanoTime()));
    }

    @Override
    protected void fireIdle() {
        epidemic.scan(this);
    }

    @Override
    protected void ended(final Ending ending) {
        if (ending == Ending.ESTABLISHED && target >= 0) {
            epidemic.infect(target);
        }
        if (!epidemic.stopped()) {
            schedule();
        }
    }
}
