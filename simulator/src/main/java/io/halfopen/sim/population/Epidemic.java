package io.halfopen.sim.population;

import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.sim.engine.EventLoop;
import io.halfopen.sim.host.Ending;
import io.halfopen.sim.host.HostRecorder;
import io.halfopen.sim.host.SimHost;
import io.halfopen.sim.net.Addresses;
import io.halfopen.sim.net.Answer;
import io.halfopen.sim.policy.PolicyLookup;
import io.halfopen.sim.run.Progress;
import io.halfopen.sim.run.Seeds;
import io.halfopen.sim.spec.Spec;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Runs one {@link EpidemicRun}: a population of vulnerable hosts at random addresses in a space of Ω, a few
 * infected at t = 0, each infected host scanning through its own limiter, until the infected share reaches
 * {@code until} or the time runs out.
 *
 * <h2>The model</h2>
 * <ul>
 *   <li>An address is a vulnerable host (it accepts after an RTT; if it was not infected yet, it is from the
 *       instant its accept arrives, and starts scanning then), or one of the other addresses: with probability
 *       {@code liveShare} a live host that refuses (a reset after an RTT), otherwise dead (the SYNs are dropped;
 *       the stack gives up after 21 s in XP's model). Which addresses are live is a fixed hash of the address
 *       and the seed, so it costs no memory.</li>
 *   <li>A share {@code coverage} of the vulnerable hosts runs the policy under test; the others run none (the
 *       {@code unlimited} policy: XP SP2 was only ever on part of the hosts). Which ones is drawn at the start.</li>
 *   <li>Each infected host has {@code threads} blocking scanning threads and scans no faster than
 *       {@code rate} per second.</li>
 * </ul>
 * One thread, one {@link EventLoop}; the same run and seed give the same epidemic, to the event.
 *
 * <h2>Memory</h2>
 * A population holds about {@code threads} scans per infected host at any time, most of them queued in the
 * limiters; so the simulator keeps per thread only what it must: a {@link WormScan} (the limiter's listener, 40
 * bytes) while the scan waits or is in flight, a {@link ScanEnd} event only while it is in flight, and a turn in
 * its {@link Worm}'s queue between scans. Ended scans and their events go back to pools here.
 */
public final class Epidemic {

    private static final int PORT = 445;

    private final EpidemicRun run;
    private final EventLoop loop = new EventLoop();
    private final SplittableRandom random;
    private final long space;
    private final int[] addresses;
    private final IntIntMap byAddress;
    private final boolean[] protectedHost;
    private final long[] infectedAt;
    private final AdmissionPolicy policy;
    private final AdmissionPolicy none;
    private final long liveThreshold;
    private final long liveSalt;
    private final int stopAt;
    private final Progress progress;
    private final int progressStep;
    private int infected;
    private long scans;
    private long submitted;
    private boolean stopped;
    /** Why the run cannot go on (a scan refused at once with no pause between scans), or null. */
    private String endless;
    private WormScan freeScans;
    private ScanEnd freeEnds;

    private Epidemic(final EpidemicRun run, final PolicyLookup lookup, final Progress progress) {
        this.run = run;
        this.progress = progress;
        this.random = Seeds.random(run.seed(), 0);
        this.space = run.space();
        this.policy = lookup.policy(run.policy());
        this.none = lookup.policy(Spec.of("unlimited"));
        final int v = run.vulnerable();
        this.addresses = new int[v];
        this.byAddress = new IntIntMap(v);
        for (int i = 0; i < v; i++) {
            int address;
            do {
                address = (int) random.nextLong(space);
            } while (!byAddress.putIfAbsent(address, i));
            addresses[i] = address;
        }
        this.protectedHost = new boolean[v];
        final int[] order = shuffled(v);
        final long covered = Math.round(run.coverage() * v);
        for (int i = 0; i < covered; i++) {
            protectedHost[order[i]] = true;
        }
        this.infectedAt = new long[v];
        Arrays.fill(infectedAt, -1);
        this.liveThreshold = (long) (run.liveShare() * 4294967296.0);
        this.liveSalt = Seeds.mix(run.seed() ^ 0x5DEECE66DL);
        this.stopAt = (int) Math.min(v, Math.max(1, Math.ceil(run.until() * v)));
        this.progressStep = Math.max(1, stopAt / 1000);
    }

    /**
     * Simulates an epidemic.
     *
     * @param run      what to simulate
     * @param lookup   where the policy comes from
     * @param progress told how many hosts are infected, out of the stopping point
     * @return the infection curve and counts
     */
    public static EpidemicResult run(final EpidemicRun run, final PolicyLookup lookup, final Progress progress) {
        return new Epidemic(run, lookup, progress).simulate();
    }

    private EpidemicResult simulate() {
        progress.begin(run.policy() + " at coverage " + run.coverage(), stopAt);
        final int[] order = shuffled(run.vulnerable());
        for (int i = 0; i < run.initiallyInfected(); i++) {
            infect(order[i]);
        }
        if (!stopped) {
            loop.runUntil(run.maxDuration().toNanos());
        }
        progress.end();
        if (endless != null) {
            throw new IllegalArgumentException(endless);
        }
        final long[] times = new long[infected];
        int n = 0;
        for (final long t : infectedAt) {
            if (t >= 0) {
                times[n++] = t;
            }
        }
        Arrays.sort(times);
        return new EpidemicResult(run, times, scans, submitted, loop.nanoTime(), loop.fired());
    }

    // --------------------------------------------------------------------- what the threads call

    void scan(final Worm worm) {
        final int address = run.strategy().next(worm, random, space);
        final boolean inside = Integer.toUnsignedLong(address) < space;
        final int target = inside ? byAddress.get(address) : -1;
        final Answer answer;
        if (target >= 0) {
            answer = Answer.ACCEPT;
        } else if (inside && live(address)) {
            answer = Answer.REFUSE;
        } else {
            answer = Answer.DROP;
        }
        WormScan scan = freeScans;
        if (scan == null) {
            scan = new WormScan();
        } else {
            freeScans = scan.nextFree;
            scan.nextFree = null;
        }
        scan.worm = worm;
        scan.target = target;
        scan.answer = answer;
        scan.rtt = run.rtt().sampleNanos(answer, random);
        submitted++;
        worm.host().limiter().newAttempt(Addresses.socket(address, PORT), scan);
    }

    /** A scan ended: infect its target if it was a vulnerable host that accepted; its thread takes the next turn. */
    void ended(final WormScan scan, final Ending ending) {
        final Worm worm = scan.worm;
        if (ending == Ending.ESTABLISHED && scan.target >= 0) {
            infect(scan.target);
        }
        scan.worm = null;
        scan.nextFree = freeScans;
        freeScans = scan;
        if (!stopped) {
            worm.takeTurn();
        }
    }

    /**
     * A scan of a worm that does not pause between scans ended at the very instant it was made, without a slot:
     * its thread would take the same turn again at that instant, and be refused again, without end (the limiter's
     * state cannot change while simulated time stands still), so the run stops here and fails, naming why.
     */
    void endedAtOnce(final Worm worm, final Throwable cause) {
        if (endless == null) {
            endless = "policy " + run.policy() + " refused a scan of worm-" + worm.index() + " at the instant it was"
                    + " made, at " + loop.nanoTime() / 1e9 + " s (" + cause.getClass().getSimpleName() + ": "
                    + cause.getMessage() + "), and the rate is 0 (no pause between a thread's scans): the thread"
                    + " would make it again at that instant without end, and simulated time would stop; give a"
                    + " rate (--rate, the fastest a thread scans), or a policy and queue bound that do not refuse"
                    + " at once";
        }
        stopped = true;
        loop.stop();
    }

    /** The event of a scan's answer, from the pool. */
    ScanEnd scanEnd(final WormScan scan, final ConnectAttempt attempt, final Answer effective) {
        ScanEnd end = freeEnds;
        if (end == null) {
            end = new ScanEnd();
        } else {
            freeEnds = end.nextFree;
            end.nextFree = null;
        }
        end.scan = scan;
        end.attempt = attempt;
        end.effective = effective;
        return end;
    }

    void release(final ScanEnd end) {
        end.scan = null;
        end.attempt = null;
        end.nextFree = freeEnds;
        freeEnds = end;
    }

    void countScan() {
        scans++;
    }

    void infect(final int host) {
        if (infectedAt[host] >= 0 || stopped) {
            return;
        }
        infectedAt[host] = loop.nanoTime();
        infected++;
        if (infected % progressStep == 0) {
            progress.advance(infected);
        }
        if (infected >= stopAt) {
            stopped = true;
            loop.stop();
            return;
        }
        final SimHost simHost = new SimHost("worm-" + host, loop, protectedHost[host] ? policy : none, run.options(),
                HostRecorder.NONE);
        final Worm worm = new Worm(this, host, addresses[host], simHost, run.rate());
        for (int t = 0; t < run.threads(); t++) {
            worm.takeTurn();
        }
    }

    private boolean live(final int address) {
        return (Seeds.mix(address ^ liveSalt) & 0xFFFFFFFFL) < liveThreshold;
    }

    private int[] shuffled(final int n) {
        final int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
