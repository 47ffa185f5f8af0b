package io.halfopen.it;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * One connect of a scenario: where it goes, and what kind of peer is there.
 *
 * @param kind    how the peer answers a SYN
 * @param address the peer's endpoint
 */
record Target(PeerKind kind, InetSocketAddress address) {

    /**
     * Spreads {@code count} connects of one kind over a host's endpoints of that kind, alternating the address
     * families the host has (so IPv6 is exercised wherever the setup allows).
     *
     * @param host  the peer host
     * @param kind  the kind of peer
     * @param count how many connects
     * @return the targets, in round-robin order
     */
    static List<Target> spread(final PeerHost host, final PeerKind kind, final int count) {
        final List<InetSocketAddress> endpoints = new ArrayList<>();
        for (final Family family : host.families(kind)) {
            endpoints.addAll(host.endpoints(kind, family));
        }
        final List<Target> targets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            targets.add(new Target(kind, endpoints.get(i % endpoints.size())));
        }
        return targets;
    }

    /**
     * Returns the targets in a random order that is the same on every run.
     *
     * @param targets the targets
     * @param seed    the shuffle's seed
     * @return a shuffled copy
     */
    static List<Target> shuffled(final List<Target> targets, final long seed) {
        final List<Target> copy = new ArrayList<>(targets);
        Collections.shuffle(copy, new Random(seed));
        return copy;
    }

    /**
     * Collects the endpoints of the targets, for a sampler to watch.
     *
     * @param targets the targets
     * @return their endpoints
     */
    static List<InetSocketAddress> endpoints(final List<Target> targets) {
        return targets.stream().map(Target::address).distinct().toList();
    }
}
