package io.halfopen.agent;

import io.halfopen.testkit.LoopbackPeers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One peer of each kind from testkit's {@link LoopbackPeers} (accepting, refusing, dropping), and the storm
 * programs' target arguments ({@code host:port:count}) for them.
 *
 * @param accept accepts every connection
 * @param refuse answers a SYN with RST
 * @param drop   drops every SYN
 */
record Trio(InetSocketAddress accept, InetSocketAddress refuse, InetSocketAddress drop) {

    /** Starts one peer of each kind, owned (and closed) by {@code peers}. */
    static Trio of(final LoopbackPeers peers) throws IOException {
        return new Trio(peers.accepting(), peers.refusing(), peers.dropping());
    }

    /** {@return the three peers, for the judge} */
    List<InetSocketAddress> peers() {
        return List.of(accept, refuse, drop);
    }

    /** The arguments of a storm program: {@code leading...}, then so many connects to each peer. */
    String[] storm(final int toAccept, final int toRefuse, final int toDrop, final String... leading) {
        final List<String> args = new ArrayList<>(List.of(leading));
        args.add(target(accept, toAccept));
        args.add(target(refuse, toRefuse));
        args.add(target(drop, toDrop));
        return args.toArray(new String[0]);
    }

    /** A {@code host:port:count} argument for the storm programs. */
    static String target(final InetSocketAddress peer, final int count) {
        return peer.getHostString() + ":" + peer.getPort() + ":" + count;
    }
}
