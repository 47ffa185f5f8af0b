package io.halfopen.sim.population;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.sim.engine.Event;
import io.halfopen.sim.host.Ending;
import io.halfopen.sim.net.Answer;
import java.net.NoRouteToHostException;

/**
 * The network's answer to a {@link WormScan} in flight, or the stack giving up on it: reported to the limiter as a
 * real owner would, then the scan ends. Pooled by the epidemic: one exists per scan in flight. Confined to the
 * simulation's thread.
 */
final class ScanEnd extends Event {

    private static final NoRouteToHostException UNREACHABLE =
            new NoRouteToHostException("ICMP destination unreachable (simulated)");

    WormScan scan;
    ConnectAttempt attempt;
    Answer effective;
    /** The next one in the epidemic's pool, while in it. */
    ScanEnd nextFree;

    @Override
    protected void fire() {
        final Ending ending;
        switch (effective) {
            case ACCEPT -> {
                attempt.established();
                ending = Ending.ESTABLISHED;
            }
            case REFUSE -> {
                attempt.refused();
                ending = Ending.REFUSED;
            }
            case UNREACHABLE -> {
                attempt.failed(UNREACHABLE);
                ending = Ending.UNREACHABLE;
            }
            default -> {
                attempt.aborted();
                ending = Ending.TIMED_OUT;
            }
        }
        scan.finish(ending);
    }
}
