package io.halfopen.it;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A peer host with a firewall of its own, laid out by the {@link PortPlan}: every kind of peer, at one IPv4
 * and one IPv6 address. Subclasses say what the addresses are, and how the host is killed and removed.
 */
abstract class PlannedPeerHost implements PeerHost {

    /**
     * Returns the host's address in one family.
     *
     * @param family the family
     * @return the address
     */
    abstract InetAddress address(Family family);

    @Override
    public final Set<PeerKind> kinds() {
        return EnumSet.allOf(PeerKind.class);
    }

    @Override
    public final Set<Family> families() {
        return EnumSet.allOf(Family.class);
    }

    @Override
    public final Set<Family> families(final PeerKind kind) {
        return PortPlan.families(kind);
    }

    @Override
    public final List<InetSocketAddress> endpoints(final PeerKind kind, final Family family) {
        if (!families(kind).contains(family)) {
            throw new IllegalArgumentException(describe() + " has no " + kind + " peer over " + family);
        }
        final InetAddress address = address(family);
        final List<InetSocketAddress> endpoints = new ArrayList<>();
        PortPlan.PORTS.get(kind).forEach(port -> endpoints.add(new InetSocketAddress(address, port)));
        return endpoints;
    }
}
