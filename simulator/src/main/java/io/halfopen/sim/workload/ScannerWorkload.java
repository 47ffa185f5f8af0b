package io.halfopen.sim.workload;

import io.halfopen.sim.host.Connect;
import io.halfopen.sim.host.DeferredConnects;
import io.halfopen.sim.host.Ending;
import io.halfopen.sim.host.SimHost;
import io.halfopen.sim.net.Addresses;
import io.halfopen.sim.net.Answer;
import io.halfopen.sim.net.RttDistribution;
import io.halfopen.sim.spec.Spec;
import io.halfopen.sim.spec.SpecArgs;
import java.util.SplittableRandom;

/**
 * A scanner: connects to random IPv4 addresses, mostly dead. Open loop (every attempt is issued at its instant,
 * whatever happened to the others: a worm with as many sockets as it likes) or closed loop with {@code threads}
 * (each thread connects, waits for the outcome, then takes the next turn: a worm of blocking threads, as Sasser's
 * 128). Either way no faster than {@code rate} per second.
 *
 * <p>Spec: {@code scanner(rate=100, threads=0, liveShare=0.02, live=refuse, rtt=lognormal(median=80ms, sigma=0.8),
 * port=445, arrivals=fixed, count=0, loss=0)}; {@code rate=0} means no rate bound (closed loop only),
 * {@code threads=0} open loop, {@code count=0} no bound. A live address refuses (a closed port) or accepts; a dead
 * one drops.
 */
final class ScannerWorkload implements Workload {

    private final Spec spec;
    private final double rate;
    private final int threads;
    private final double liveShare;
    private final Answer live;
    private final RttDistribution rtt;
    private final int port;
    private final Arrivals arrivals;
    private final long count;
    private final double loss;

    ScannerWorkload(final Spec spec) {
        this.spec = spec;
        final SpecArgs args = new SpecArgs(spec, "workload");
        this.rate = args.number("rate", 100, 0, 1e9);
        this.threads = (int) args.integer("threads", 0, 0, 1_000_000);
        this.liveShare = args.share("liveShare", 0.02);
        final String liveWord = args.string("live", "refuse");
        this.live = switch (liveWord) {
            case "refuse" -> Answer.REFUSE;
            case "accept" -> Answer.ACCEPT;
            case "unreachable" -> Answer.UNREACHABLE;
            default -> throw new IllegalArgumentException("workload scanner: live must be refuse, accept or unreachable,"
                    + " was '" + liveWord + "'");
        };
        this.rtt = RttDistribution.of(args.spec("rtt", "lognormal(median=80ms, sigma=0.8)"));
        this.port = (int) args.integer("port", 445, 1, 65535);
        this.arrivals = Arrivals.of(args.string("arrivals", "fixed"));
        this.count = args.integer("count", 0, 0, Long.MAX_VALUE);
        this.loss = args.share("loss", 0);
        args.done();
        if (threads == 0 && rate == 0) {
            throw new IllegalArgumentException("workload scanner: an open-loop scanner (threads=0) needs a rate > 0");
        }
    }

    @Override
    public Spec spec() {
        return spec;
    }

    @Override
    public boolean benign() {
        return false;
    }

    @Override
    public boolean finite() {
        return count > 0;
    }

    @Override
    public void start(final WorkloadContext context) {
        if (threads == 0) {
            final DeferredConnects deferred = new DeferredConnects(context.host(), context.random(), context.stream());
            new OpenLoop(context, rate, arrivals, count) {
                @Override
                boolean next() {
                    final SplittableRandom random = context.random();
                    final int address = random.nextInt();
                    final Answer answer = random.nextDouble() < liveShare ? live : Answer.DROP;
                    deferred.submit(Addresses.socket(address, port), answer, rtt.sampleNanos(answer, random), loss);
                    return true;
                }
            }.begin();
        } else {
            final Pace pace = new Pace(rate, count);
            for (int i = 0; i < threads; i++) {
                new ScanThread(context, pace).takeTurn();
            }
        }
    }

    private void scan(final Connect connect, final WorkloadContext context) {
        final SplittableRandom random = context.random();
        final int address = random.nextInt();
        final Answer answer = random.nextDouble() < liveShare ? live : Answer.DROP;
        connect.submit(Addresses.socket(address, port), answer, rtt.sampleNanos(answer, random), loss, context.stream());
    }

    /** The turns shared by a scanner's threads: no faster than the rate, no more than the count. */
    private static final class Pace {
        private final long gapNanos;
        private final long count;
        private long nextTurn;
        private long turns;

        Pace(final double rate, final long count) {
            this.gapNanos = rate == 0 ? 0 : Math.round(1e9 / rate);
            this.count = count;
        }

        /** The instant of the next turn, or -1 if the count is used up. */
        long take(final long now) {
            if (count > 0 && turns >= count) {
                return -1;
            }
            turns++;
            final long at = Math.max(now, nextTurn);
            nextTurn = at + gapNanos;
            return at;
        }
    }

    /** One blocking thread of the scanner: its own attempt record, reused for every connect. */
    private final class ScanThread extends Connect {
        private final WorkloadContext context;
        private final Pace pace;

        ScanThread(final WorkloadContext context, final Pace pace) {
            super(context.host(), null, context.random());
            this.context = context;
            this.pace = pace;
        }

        void takeTurn() {
            final SimHost host = context.host();
            final long at = pace.take(host.loop().nanoTime());
            if (at >= 0 && at <= context.end()) {
                host.loop().at(this, at);
            }
        }

        @Override
        protected void fireIdle() {
            scan(this, context);
        }

        @Override
        protected void ended(final Ending ending) {
            if (ending == Ending.REJECTED && pace.gapNanos == 0) {
                // refused a place in the queue, and no rate to wait for: back off 1 ms rather than spin at this instant
                context.loop().after(this, 1_000_000L);
                return;
            }
            takeTurn();
        }
    }
}
