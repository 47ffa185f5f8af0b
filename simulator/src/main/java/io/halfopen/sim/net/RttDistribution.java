package io.halfopen.sim.net;

import io.halfopen.sim.spec.Durations;
import io.halfopen.sim.spec.Spec;
import io.halfopen.sim.spec.SpecArgs;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Where a destination's round-trip times come from. Written in spec syntax: {@code constant(50ms)},
 * {@code uniform(10ms, 200ms)}, {@code exponential(mean=50ms)}, {@code lognormal(median=40ms, sigma=0.8)}.
 * Immutable; the random source is the caller's, so draws follow the simulation's seed.
 */
public interface RttDistribution {

    /**
     * Draws one RTT.
     *
     * @param random the simulation's random source
     * @return nanoseconds, at least 1
     */
    long sampleNanos(SplittableRandom random);

    /**
     * Draws the RTT of an attempt to a destination that gives {@code answer}: none for a drop, which is never
     * answered, so a drop takes nothing from the random source for its RTT (a scanner's attempts are mostly drops,
     * and a log-normal draw is a logarithm, a square root, a cosine and an exponential).
     *
     * @param answer how the destination answers
     * @param random the simulation's random source; not touched for {@link Answer#DROP}
     * @return nanoseconds, at least 1; 0 for a drop
     */
    default long sampleNanos(final Answer answer, final SplittableRandom random) {
        return answer == Answer.DROP ? 0 : sampleNanos(random);
    }

    /**
     * Returns the spec that recreates this distribution.
     *
     * @return the spec
     */
    Spec spec();

    /**
     * Parses a spec.
     *
     * @param spec the spec
     * @return the distribution
     * @throws IllegalArgumentException naming what is wrong
     */
    static RttDistribution of(final Spec spec) {
        final SpecArgs args = new SpecArgs(spec, "distribution");
        final RttDistribution d = switch (spec.name()) {
            case "constant" -> constant(args.duration("value", Duration.ofMillis(50), false));
            case "uniform" -> {
                final Duration min = args.duration("min", Duration.ofMillis(10), false);
                final Duration max = args.duration("max", Duration.ofMillis(200), false);
                if (max.compareTo(min) < 0) {
                    throw new IllegalArgumentException("distribution uniform: max " + Durations.format(max)
                            + " is below min " + Durations.format(min));
                }
                yield new Uniform(min.toNanos(), max.toNanos());
            }
            case "exponential" -> new Exponential(args.duration("mean", Duration.ofMillis(50), false).toNanos());
            case "lognormal" -> new LogNormal(args.duration("median", Duration.ofMillis(40), false).toNanos(),
                    args.number("sigma", 0.8, 0, 5));
            default -> throw new IllegalArgumentException("unknown distribution '" + spec.name()
                    + "' (constant, uniform, exponential, lognormal)");
        };
        args.done();
        return d;
    }

    /**
     * Parses spec text.
     *
     * @param text such as {@code lognormal(median=40ms, sigma=0.8)}
     * @return the distribution
     */
    static RttDistribution parse(final String text) {
        return of(Spec.parse(text));
    }

    /**
     * Returns a distribution that always answers {@code rtt}.
     *
     * @param rtt positive
     * @return the distribution
     */
    static RttDistribution constant(final Duration rtt) {
        return new Constant(rtt.toNanos());
    }

    /**
     * Always the same RTT.
     *
     * @param nanos the RTT, ns
     */
    record Constant(long nanos) implements RttDistribution {
        @Override
        public long sampleNanos(final SplittableRandom random) {
            return nanos;
        }

        @Override
        public Spec spec() {
            return Spec.of("constant").with("value", Durations.format(Duration.ofNanos(nanos)));
        }
    }

    /**
     * Uniform between two bounds.
     *
     * @param min the shortest RTT, ns
     * @param max the longest RTT, ns
     */
    record Uniform(long min, long max) implements RttDistribution {
        @Override
        public long sampleNanos(final SplittableRandom random) {
            return min == max ? min : random.nextLong(min, max + 1);
        }

        @Override
        public Spec spec() {
            return Spec.of("uniform").with("min", Durations.format(Duration.ofNanos(min)))
                    .with("max", Durations.format(Duration.ofNanos(max)));
        }
    }

    /**
     * Exponential with a mean.
     *
     * @param mean the mean RTT, ns
     */
    record Exponential(long mean) implements RttDistribution {
        @Override
        public long sampleNanos(final SplittableRandom random) {
            return Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) * mean));
        }

        @Override
        public Spec spec() {
            return Spec.of("exponential").with("mean", Durations.format(Duration.ofNanos(mean)));
        }
    }

    /**
     * Log-normal with a median and the standard deviation of the log: internet RTTs' usual shape.
     *
     * @param median the median RTT, ns
     * @param sigma  the standard deviation of the RTT's natural log
     */
    record LogNormal(long median, double sigma) implements RttDistribution {
        @Override
        public long sampleNanos(final SplittableRandom random) {
            return Math.max(1, Math.round(median * Math.exp(sigma * gaussian(random))));
        }

        @Override
        public Spec spec() {
            return Spec.of("lognormal").with("median", Durations.format(Duration.ofNanos(median)))
                    .with("sigma", Double.toString(sigma));
        }

        private static double gaussian(final SplittableRandom random) {
            // Box-Muller, one value per call: deterministic for a seed, unlike a cached second value.
            final double u = 1 - random.nextDouble();
            final double v = random.nextDouble();
            return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        }
    }
}
