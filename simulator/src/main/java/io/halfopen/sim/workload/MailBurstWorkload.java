package io.halfopen.sim.workload;

import io.halfopen.sim.host.Connect;
import io.halfopen.sim.host.ConnectOwner;
import io.halfopen.sim.net.RttDistribution;
import io.halfopen.sim.spec.Spec;
import io.halfopen.sim.spec.SpecArgs;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * A mail server's burst: {@code deliveries} SMTP connects released together (a queue run), or spread evenly
 * over {@code over}, to {@code mxHosts} mail exchangers of which a share is dead (black-holed MX hosts that
 * drop SYNs). With {@code mxHosts=0} every delivery has an MX of its own.
 *
 * <p>Spec: {@code mail(deliveries=500, over=0s, mxHosts=0, deadShare=0.2, port=25,
 * rtt=lognormal(median=60ms, sigma=0.8))}.
 */
final class MailBurstWorkload implements Workload {

    private final Spec spec;
    private final int deliveries;
    private final Duration over;
    private final int mxHosts;
    private final double deadShare;
    private final int port;
    private final RttDistribution rtt;

    MailBurstWorkload(final Spec spec) {
        this.spec = spec;
        final SpecArgs args = new SpecArgs(spec, "workload");
        this.deliveries = (int) args.integer("deliveries", 500, 1, 10_000_000);
        this.over = args.duration("over", Duration.ZERO, true);
        this.mxHosts = (int) args.integer("mxHosts", 0, 0, 65_536);
        this.deadShare = args.share("deadShare", 0.2);
        this.port = (int) args.integer("port", 25, 1, 65535);
        this.rtt = RttDistribution.of(args.spec("rtt", "lognormal(median=60ms, sigma=0.8)"));
        args.done();
        if (mxHosts == 0 && deliveries > 65_536) {
            throw new IllegalArgumentException("workload mail: with one MX per delivery, at most 65536 deliveries;"
                    + " set mxHosts");
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
        return true;
    }

    @Override
    public void start(final WorkloadContext context) {
        final SplittableRandom random = context.random();
        final int hosts = mxHosts == 0 ? deliveries : mxHosts;
        final Destinations mx = new Destinations(hosts, context.stream(), port, deadShare, 0, random);
        final double rate = over.isZero() ? 0 : deliveries / (over.toNanos() / 1e9);
        if (rate == 0) {
            for (int i = 0; i < deliveries; i++) {
                deliver(i, hosts, mx, context);
            }
            return;
        }
        new OpenLoop(context, rate, Arrivals.FIXED, deliveries) {
            private int next;

            @Override
            boolean next() {
                deliver(next++, hosts, mx, context);
                return true;
            }
        }.begin();
    }

    private void deliver(final int i, final int hosts, final Destinations mx, final WorkloadContext context) {
        final SplittableRandom random = context.random();
        final int target = mxHosts == 0 ? i : random.nextInt(hosts);
        new Connect(context.host(), ConnectOwner.NONE, random).submit(mx.address(target), mx.answer(target),
                rtt.sampleNanos(mx.answer(target), random), 0, context.stream());
    }
}
