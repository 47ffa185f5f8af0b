package io.halfopen.time;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the timer's concurrency tests drive: arm and disarm nodes from any thread, and tick as the wheel's thread
 * does. Two timings are enough to find the races: a node armed to be due at once (the next tick fires it), or
 * far in the future (no tick in the test fires it). Implemented by the real {@link TimerWheel} and by the
 * known-bad copies of its protocol ({@link SimpleInboxTimer} and its subclasses).
 */
interface TimerUnderTest {

    /** A node whose expiries are counted. */
    interface Node {
        /**
         * Returns how many times the node expired.
         *
         * @return expiries
         */
        int expiries();
    }

    /**
     * Creates a node.
     *
     * @param onExpire run after each expiry is counted (may arm the node again)
     * @return the node
     */
    Node newNode(Runnable onExpire);

    /** Arms {@code node}, due at once (the next tick) or far in the future. */
    void arm(Node node, boolean dueNow);

    /** Disarms {@code node}; whether it took an arming back. */
    boolean disarm(Node node);

    /** The wheel thread's work: drain the inbox, fire what is due. One thread at a time. */
    void tick();

    /** How many nodes the timer still references after a tick (buckets, inbox). */
    int held();

    /** The real wheel, ticked by hand on a clock that never moves. */
    static TimerUnderTest realWheel() {
        final Ticker frozen = () -> 1_000_000_000L;
        final TimerWheel wheel = TimerWheel.manual(frozen, Duration.ofMillis(10), () -> { });
        return new TimerUnderTest() {
            @Override
            public Node newNode(final Runnable onExpire) {
                return new RealNode(onExpire);
            }

            @Override
            public void arm(final Node node, final boolean dueNow) {
                wheel.arm((RealNode) node, dueNow ? 0L : 3600L, dueNow ? TimeUnit.NANOSECONDS : TimeUnit.SECONDS);
            }

            @Override
            public boolean disarm(final Node node) {
                return ((RealNode) node).takeBack();
            }

            @Override
            public void tick() {
                wheel.advanceTo(frozen.nanoTime());
            }

            @Override
            public int held() {
                return wheel.placedNodes();
            }

            @Override
            public String toString() {
                return wheel.toString();
            }
        };
    }

    /** A real node that counts its expiries. */
    final class RealNode extends TimerNode implements Node {
        private final Runnable onExpire;
        private volatile int expiries;

        RealNode(final Runnable onExpire) {
            this.onExpire = onExpire;
        }

        @Override
        protected void expire() {
            expiries++; // the wheel's thread only
            onExpire.run();
        }

        boolean takeBack() {
            return disarm();
        }

        @Override
        public int expiries() {
            return expiries;
        }
    }
}
