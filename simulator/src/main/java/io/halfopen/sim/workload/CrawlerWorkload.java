package io.halfopen.sim.workload;

import io.halfopen.sim.host.Connect;
import io.halfopen.sim.host.Ending;
import io.halfopen.sim.net.RttDistribution;
import io.halfopen.sim.spec.Spec;
import io.halfopen.sim.spec.SpecArgs;
import java.time.Duration;

/**
 * A polite crawler: {@code hosts} sites with {@code pages} fetches each, one connect per fetch; a site is
 * fetched again only {@code politeness} after its previous fetch ended (Nutch's and Heritrix's per-host delay),
 * and given up after {@code maxFailures} failed connects (timeouts, refusals, unreachables). Sites start
 * {@code 1/rate} apart. A share of the sites is dead.
 *
 * <p>Spec: {@code crawler(hosts=1000, pages=5, deadShare=0.1, refusedShare=0, politeness=1s, rate=20,
 * maxFailures=1, port=80, rtt=lognormal(median=50ms, sigma=0.8))}.
 */
final class CrawlerWorkload implements Workload {

    private final Spec spec;
    private final int hosts;
    private final int pages;
    private final double deadShare;
    private final double refusedShare;
    private final long politeness;
    private final double rate;
    private final int maxFailures;
    private final int port;
    private final RttDistribution rtt;

    CrawlerWorkload(final Spec spec) {
        this.spec = spec;
        final SpecArgs args = new SpecArgs(spec, "workload");
        this.hosts = (int) args.integer("hosts", 1000, 1, 65_536);
        this.pages = (int) args.integer("pages", 5, 1, 1_000_000);
        this.deadShare = args.share("deadShare", 0.1);
        this.refusedShare = args.share("refusedShare", 0);
        this.politeness = args.duration("politeness", Duration.ofSeconds(1), true).toNanos();
        this.rate = args.number("rate", 20, 1e-9, 1e9);
        this.maxFailures = (int) args.integer("maxFailures", 1, 1, 1_000_000);
        this.port = (int) args.integer("port", 80, 1, 65535);
        this.rtt = RttDistribution.of(args.spec("rtt", "lognormal(median=50ms, sigma=0.8)"));
        args.done();
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
        final Destinations sites = new Destinations(hosts, context.stream(), port, deadShare, refusedShare,
                context.random());
        for (int i = 0; i < hosts; i++) {
            final long at = Math.round(i * 1e9 / rate);
            if (at <= context.end()) {
                context.loop().at(new Site(context, sites, i), at);
            }
        }
    }

    /** One site: its own attempt record, fetched page after page. */
    private final class Site extends Connect {
        private final WorkloadContext context;
        private final Destinations sites;
        private final int index;
        private int fetched;
        private int failures;

        Site(final WorkloadContext context, final Destinations sites, final int index) {
            super(context.host(), null, context.random());
            this.context = context;
            this.sites = sites;
            this.index = index;
        }

        @Override
        protected void fireIdle() {
            fetched++;
            submit(sites.address(index), sites.answer(index),
                    rtt.sampleNanos(sites.answer(index), context.random()), 0, context.stream());
        }

        @Override
        protected void ended(final Ending ending) {
            if (ending != Ending.ESTABLISHED && ++failures >= maxFailures) {
                return;
            }
            if (fetched < pages && context.loop().nanoTime() + politeness <= context.end()) {
                context.loop().after(this, politeness);
            }
        }
    }
}
