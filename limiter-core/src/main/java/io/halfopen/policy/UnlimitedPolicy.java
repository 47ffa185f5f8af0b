package io.halfopen.policy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * No limit: every attempt goes half-open at once, as on Windows XP SP1, Vista SP2 and later. A real policy
 * with the same seam as the others, so it counts half-open attempts for stats (one atomic operation per
 * enter and per exit) and can be compared with them in the simulator.
 */
final class UnlimitedPolicy implements AdmissionPolicy {

    static final UnlimitedPolicy INSTANCE = new UnlimitedPolicy();

    /** In the registry: {@code unlimited}. */
    static final PolicyDescriptor DESCRIPTOR = PolicyDescriptor.builder("unlimited")
            .summary("no limit, as before XP SP2 and since Vista SP2: every attempt goes at once")
            .source("Windows XP RTM/SP1, Vista SP2 and later (no half-open limit by default)")
            .limits("nothing (counts half-open attempts for stats)")
            .build(args -> INSTANCE);

    private UnlimitedPolicy() {
    }

    @Override
    public String name() {
        return "unlimited";
    }

    @Override
    public int maxHalfOpen() {
        return Integer.MAX_VALUE;
    }

    @Override
    public AdmissionGate newGate(final PolicyContext context) {
        return new Gate();
    }

    @Override
    public java.util.Optional<String> spec() {
        return DESCRIPTOR.write();
    }

    @Override
    public String toString() {
        return name();
    }

    private static final class Gate implements AdmissionGate {
        private final AtomicInteger halfOpen = new AtomicInteger();
        private final AtomicInteger peak = new AtomicInteger();

        @Override
        public Admission enter(final AdmissionTicket ticket) {
            final int now = halfOpen.incrementAndGet();
            if (now > peak.getOpaque()) {
                peak.accumulateAndGet(now, Math::max);
            }
            return Admission.admitted();
        }

        @Override
        public void exit(final AdmissionTicket ticket, final Outcome outcome) {
            halfOpen.decrementAndGet();
        }

        @Override
        public int halfOpen() {
            return halfOpen.get();
        }

        @Override
        public int peakHalfOpen() {
            return peak.get();
        }

        @Override
        public void forEachQueued(final Consumer<? super AdmissionTicket> action) {
            // nobody ever waits
        }
    }
}
