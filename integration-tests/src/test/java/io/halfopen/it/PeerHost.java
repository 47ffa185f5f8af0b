package io.halfopen.it;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One peer host that the test created: a container, a network namespace, or a set of loopback sockets. It offers
 * endpoints of each {@link PeerKind} it supports, over IPv4 and, where the setup allows, IPv6.
 */
interface PeerHost extends AutoCloseable {

    /** @return what this host is, for messages */
    String describe();

    /** @return the kinds of peer this host offers */
    Set<PeerKind> kinds();

    /** @return the address families this host is reachable over */
    Set<Family> families();

    /**
     * Returns the address families this host offers a kind of peer over; all of {@link #families()} unless
     * said otherwise.
     *
     * @param kind the kind of peer
     * @return the families
     */
    default Set<Family> families(final PeerKind kind) {
        return families();
    }

    /**
     * Returns the endpoints of one kind over one family.
     *
     * @param kind   how the endpoints answer a SYN
     * @param family the address family
     * @return at least one endpoint
     * @throws IllegalArgumentException if this host does not offer that kind over that family
     */
    List<InetSocketAddress> endpoints(PeerKind kind, Family family);

    /**
     * Kills the host abruptly, the way a fault would: the container is killed, the namespace deleted, the
     * loopback listeners closed. Connects in flight to it must still end.
     *
     * @throws Exception if the host could not be killed
     */
    void kill() throws Exception;

    /** Removes the host; idempotent, and safe after {@link #kill()}. */
    @Override
    void close();

    /** @return every endpoint of every kind and family: what a SYN_SENT sampler watches */
    default List<InetSocketAddress> allEndpoints() {
        final List<InetSocketAddress> all = new ArrayList<>();
        for (final PeerKind kind : kinds()) {
            for (final Family family : families(kind)) {
                all.addAll(endpoints(kind, family));
            }
        }
        return all;
    }
}
