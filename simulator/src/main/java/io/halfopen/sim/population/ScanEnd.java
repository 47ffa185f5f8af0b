package io.halfopen.sim.population;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.sim.engine.Event;
import io.halfopen.sim.host.Connect;
import io.halfopen.sim.net.Answer;

/**
 * The network's answer to a {@link WormScan} in flight, or the stack giving up on it: reported to the limiter as a
 * real owner would, then the scan ends. Pooled by the epidemic: one exists per scan in flight. Confined to the
 * simulation's thread.
 */
final class ScanEnd extends Event {

    WormScan scan;
    ConnectAttempt attempt;
    Answer effective;
    /** The next one in the epidemic's pool, while in it. */
    ScanEnd nextFree;

    @Override
    protected void fire() {
        scan.finish(Connect.report(attempt, effective));
    }
}
