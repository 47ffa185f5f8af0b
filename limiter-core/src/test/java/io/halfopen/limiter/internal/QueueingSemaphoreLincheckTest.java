package io.halfopen.limiter.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Machine-checked linearizability of {@link QueueingSemaphore} with acquire, release and cancellation against
 * {@link FifoSemaphoreSpecification}: a FIFO semaphore whose releases hand permits to the oldest live waiter
 * (the release reports which one), whose waiters can be cancelled, and in which a free permit and a waiter
 * never coexist. Both Lincheck strategies run: model checking (systematic interleavings of the atomic steps)
 * and stress (real threads). After every scenario, {@code @Validate} checks permit conservation.
 *
 * <p>A known-bad copy of the algorithm ({@link LostDepositSemaphore}) must be caught, which shows that the
 * checker explores interleavings in this build.
 */
class QueueingSemaphoreLincheckTest {

    /** The operations Lincheck calls; the harness holds the state. */
    public abstract static class Operations {
        private final SemaphoreHarness harness;

        Operations(final int permits, final SemaphoreHarness.UnderTest semaphore) {
            this.harness = new SemaphoreHarness(permits, semaphore);
        }

        @Operation
        public String acquire(@Param(gen = ThreadIdGen.class) final int thread) {
            return harness.acquire(thread);
        }

        @Operation
        public int releaseOne(@Param(gen = ThreadIdGen.class) final int thread) {
            return harness.releaseOne(thread);
        }

        @Operation
        public boolean cancel(@Param(gen = IntGen.class, conf = "0:3") final int thread,
                @Param(gen = IntGen.class, conf = "0:1") final int k) {
            return harness.cancel(thread, k);
        }

        @Operation
        public int available() {
            return harness.available();
        }

        @Validate
        public void permitsAreConserved() {
            harness.checkConservation();
        }
    }

    /** The real semaphore, one permit: every acquire beyond the first waits. */
    public static final class OnePermit extends Operations {
        public OnePermit() {
            super(1, SemaphoreHarness.real(1));
        }
    }

    /** The real semaphore, two permits. */
    public static final class TwoPermits extends Operations {
        public TwoPermits() {
            super(2, SemaphoreHarness.real(2));
        }
    }

    /** The broken copy, one permit. */
    public static final class BrokenOnePermit extends Operations {
        public BrokenOnePermit() {
            super(1, new LostDepositSemaphore(1));
        }
    }

    private static <O extends Options<O, ?>> O configure(final O options, final Class<?> specification) {
        return options.iterations(10)
                .invocationsPerIteration(300) // about 60 s of Lincheck in total for the module on 2 busy cores
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(specification);
    }

    private static void timed(final String what, final Runnable check) {
        final long start = System.nanoTime();
        try {
            check.run();
        } finally {
            System.out.printf("[lincheck] %s: %d ms%n", what, (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Test
    void onePermitIsLinearizableToFifoSemaphoreUnderModelChecking() {
        timed("QueueingSemaphore(1) model checking", () ->
                configure(new ModelCheckingOptions(), FifoSemaphoreSpecification.OnePermit.class).check(OnePermit.class));
    }

    @Test
    void twoPermitsAreLinearizableToFifoSemaphoreUnderModelChecking() {
        timed("QueueingSemaphore(2) model checking", () ->
                configure(new ModelCheckingOptions(), FifoSemaphoreSpecification.TwoPermits.class).check(TwoPermits.class));
    }

    @Test
    void onePermitIsLinearizableToFifoSemaphoreUnderStress() {
        timed("QueueingSemaphore(1) stress", () ->
                configure(new StressOptions(), FifoSemaphoreSpecification.OnePermit.class)
                        .iterations(20).invocationsPerIteration(500).check(OnePermit.class));
    }

    @Test
    void twoPermitsAreLinearizableToFifoSemaphoreUnderStress() {
        timed("QueueingSemaphore(2) stress", () ->
                configure(new StressOptions(), FifoSemaphoreSpecification.TwoPermits.class)
                        .iterations(20).invocationsPerIteration(500).check(TwoPermits.class));
    }

    @Test
    void modelCheckingCatchesAPermitOverwrittenBetweenCheckAndWrite() {
        timed("LostDepositSemaphore (known bad) model checking", () -> {
            final LincheckAssertionError error = assertThrows(LincheckAssertionError.class, () ->
                    configure(new ModelCheckingOptions(), FifoSemaphoreSpecification.OnePermit.class)
                            .minimizeFailedScenario(false)
                            .check(BrokenOnePermit.class));
            System.out.println("[lincheck] known-bad verdict: " + error.getMessage().strip().lines().findFirst().orElse(""));
        });
    }
}
