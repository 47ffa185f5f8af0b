package io.halfopen.sim.workload;

import io.halfopen.sim.host.Connect;
import io.halfopen.sim.host.ConnectOwner;
import io.halfopen.sim.net.RttDistribution;
import io.halfopen.sim.spec.Spec;
import io.halfopen.sim.spec.SpecArgs;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A benign desktop: a few destinations, popular ones far more often (Zipf), and high locality (with
 * probability {@code locality} the next connect goes to one of the {@code recent} last destinations), at a
 * Poisson rate.
 *
 * <p>Spec: {@code desktop(rate=0.5, destinations=30, zipf=1.0, locality=0.5, recent=4, deadShare=0.02,
 * refusedShare=0.01, port=443, rtt=lognormal(median=40ms, sigma=0.8))}.
 */
final class DesktopWorkload implements Workload {

    private final Spec spec;
    private final double rate;
    private final int destinations;
    private final double zipf;
    private final double locality;
    private final int recent;
    private final double deadShare;
    private final double refusedShare;
    private final int port;
    private final RttDistribution rtt;

    DesktopWorkload(final Spec spec) {
        this.spec = spec;
        final SpecArgs args = new SpecArgs(spec, "workload");
        this.rate = args.number("rate", 0.5, 1e-9, 1e9);
        this.destinations = (int) args.integer("destinations", 30, 1, 65_536);
        this.zipf = args.number("zipf", 1.0, 0, 10);
        this.locality = args.share("locality", 0.5);
        this.recent = (int) args.integer("recent", 4, 1, 1000);
        this.deadShare = args.share("deadShare", 0.02);
        this.refusedShare = args.share("refusedShare", 0.01);
        this.port = (int) args.integer("port", 443, 1, 65535);
        this.rtt = RttDistribution.of(args.spec("rtt", "lognormal(median=40ms, sigma=0.8)"));
        args.done();
        if (deadShare + refusedShare > 1) {
            throw new IllegalArgumentException("workload desktop: deadShare + refusedShare must not exceed 1");
        }
    }

    @Override
    public Spec spec() {
        return spec;
    }

    @Override
    public boolean benign() {
        return true;
    }

    @Override
    public boolean finite() {
        return false;
    }

    @Override
    public void start(final WorkloadContext context) {
        final SplittableRandom random = context.random();
        final Destinations targets = new Destinations(destinations, context.stream(), port, deadShare, refusedShare,
                random);
        final double[] cdf = zipfCdf(destinations, zipf);
        final int[] last = new int[recent];
        new OpenLoop(context, rate, Arrivals.POISSON, 0) {
            private int made;

            @Override
            boolean next() {
                final int target;
                if (made > 0 && random.nextDouble() < locality) {
                    target = last[random.nextInt(Math.min(made, recent))];
                } else {
                    final int found = Arrays.binarySearch(cdf, random.nextDouble());
                    target = Math.min(destinations - 1, found >= 0 ? found : -found - 1);
                }
                last[made % recent] = target;
                made++;
                new Connect(context.host(), ConnectOwner.NONE, random).submit(targets.address(target),
                        targets.answer(target), rtt.sampleNanos(targets.answer(target), random), 0, context.stream());
                return true;
            }
        }.begin();
    }

    private static double[] zipfCdf(final int n, final double s) {
        final double[] cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, s);
            cdf[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cdf[k] /= sum;
        }
        return cdf;
    }
}
