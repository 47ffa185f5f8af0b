package io.halfopen.sim.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.sim.engine.Event;
import io.halfopen.sim.engine.EventLoop;
import io.halfopen.sim.net.Addresses;
import io.halfopen.sim.net.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An attempt submitted through {@link DeferredConnects} gets its {@code Connect} only at the limiter's first
 * callback, long after it asked: that {@code Connect} must still say when the attempt asked, when it got its slot,
 * and end one RTT after the grant (its own RTT, not another attempt's), whether it went at once or waited.
 */
@DisplayName("DeferredConnects: a queued attempt's Connect keeps its own submission time and RTT")
class DeferredConnectsTimingTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cap 1", "fixedRate 1s"})
    void eachAttemptEndsOneOfItsOwnRttsAfterItsGrant(final String which) {
        final EventLoop loop = new EventLoop();
        final AdmissionPolicy policy = which.equals("cap 1") ? AdmissionPolicy.halfOpenCap(1)
                : AdmissionPolicy.fixedRate(Duration.ofSeconds(1));
        final Map<Integer, long[]> asked = new HashMap<>(); // port -> {submitted at, rtt}
        final List<String> wrong = new ArrayList<>();
        final int[] ended = {0};
        final int[] waited = {0};
        final SimHost host = new SimHost("deferred", loop, policy, HostOptions.XP, new HostRecorder() {
            @Override
            public void ended(final Connect c, final Ending ending) {
                ended[0]++;
                final long[] a = asked.get(c.remote().getPort());
                final long now = loop.nanoTime();
                if (c.waited()) {
                    waited[0]++;
                }
                if (c.submittedAt() != a[0] || c.rttNanos() != a[1] || now - c.grantedAt() != a[1]
                        || ending != Ending.REFUSED) {
                    wrong.add("port " + c.remote().getPort() + ": asked at " + a[0] + " with rtt " + a[1]
                            + ", says submitted " + c.submittedAt() + ", rtt " + c.rttNanos() + ", granted "
                            + c.grantedAt() + ", ended " + now + " " + ending);
                }
            }
        });
        final DeferredConnects deferred = new DeferredConnects(host, new SplittableRandom(1), 0);
        final SplittableRandom random = new SplittableRandom(7);
        final int attempts = 200;
        final Event arrivals = new Event() {
            private int port = 1;

            @Override
            protected void fire() {
                final long rtt = 1_000_000L * (1 + random.nextInt(500)); // 1 to 500 ms, each its own
                asked.put(port, new long[] {loop.nanoTime(), rtt});
                deferred.submit(Addresses.socket(0x0A000001, port), Answer.REFUSE, rtt, 0);
                if (++port <= attempts) {
                    loop.after(this, 10_000_000L * random.nextInt(3)); // bursts: 0, 10 or 20 ms apart
                }
            }
        };
        loop.at(arrivals, 0);
        loop.runUntil(Long.MAX_VALUE);
        assertEquals(attempts, ended[0], "every attempt ended once");
        assertTrue(waited[0] > attempts / 2, "most attempts waited in the queue: " + waited[0]);
        assertEquals(List.of(), wrong);
    }
}
