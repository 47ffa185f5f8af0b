package io.halfopen.sim.workload;

import io.halfopen.sim.net.Addresses;
import io.halfopen.sim.net.Answer;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;

/**
 * A benign workload's fixed set of destinations, each with its answer drawn once at the start (dead with
 * {@code deadShare}, refusing with {@code refusedShare}, accepting otherwise). Addresses are
 * {@code 10.s.x.y}, one /16 per stream {@code s}, never contacted: they only name destinations.
 */
final class Destinations {

    private final InetSocketAddress[] addresses;
    private final Answer[] answers;

    Destinations(final int count, final int stream, final int port, final double deadShare,
            final double refusedShare, final SplittableRandom random) {
        if (count > 65_536) {
            throw new IllegalArgumentException("at most 65536 destinations per workload, was " + count);
        }
        addresses = new InetSocketAddress[count];
        answers = new Answer[count];
        final int base = (10 << 24) | ((stream & 0xff) << 16);
        for (int i = 0; i < count; i++) {
            addresses[i] = Addresses.socket(base | i, port);
            final double u = random.nextDouble();
            answers[i] = u < deadShare ? Answer.DROP : u < deadShare + refusedShare ? Answer.REFUSE : Answer.ACCEPT;
        }
    }

    int size() {
        return addresses.length;
    }

    InetSocketAddress address(final int i) {
        return addresses[i];
    }

    Answer answer(final int i) {
        return answers[i];
    }
}
