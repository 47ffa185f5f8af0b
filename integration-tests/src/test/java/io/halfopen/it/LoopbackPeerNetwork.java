package io.halfopen.it;

import io.halfopen.testkit.LoopbackPeers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Peers on loopback with no privileges at all (harness.md, recipe E): a listener that accepts, a listener whose
 * full accept queue drops every further SYN, and a bound port that nobody listens on, which answers with a reset.
 * There is no ICMP peer: loopback cannot be told to answer with ICMP without a firewall rule. Over IPv6 too,
 * on {@code ::1}, when this machine has it.
 */
final class LoopbackPeerNetwork implements PeerNetwork {

    private static final int ACCEPTING = 3;
    private static final int DROPPING = 2;

    private final List<PeerHost> hosts = new CopyOnWriteArrayList<>();

    @Override
    public String describe() {
        return "loopback (no privileges)";
    }

    @Override
    public PeerHost startHost(final String role) throws IOException {
        final Map<Family, LoopbackPeers> peers = new EnumMap<>(Family.class);
        final Map<Family, Map<PeerKind, List<InetSocketAddress>>> endpoints = new EnumMap<>(Family.class);
        peers.put(Family.IPV4, new LoopbackPeers(InetAddress.getByName("127.0.0.1")));
        if (hasIpv6Loopback()) {
            peers.put(Family.IPV6, new LoopbackPeers(InetAddress.getByName("::1")));
        }
        for (final Map.Entry<Family, LoopbackPeers> entry : peers.entrySet()) {
            final LoopbackPeers family = entry.getValue();
            final Map<PeerKind, List<InetSocketAddress>> byKind = new EnumMap<>(PeerKind.class);
            byKind.put(PeerKind.ACCEPT, start(ACCEPTING, family::accepting));
            byKind.put(PeerKind.DROP, start(DROPPING, family::dropping));
            byKind.put(PeerKind.RESET, start(1, family::refusing));
            endpoints.put(entry.getKey(), byKind);
        }
        final PeerHost host = new Host(role, peers, endpoints);
        hosts.add(host);
        return host;
    }

    private static boolean hasIpv6Loopback() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (final IOException noIpv6) {
            return false;
        }
    }

    private interface Starter {
        InetSocketAddress start() throws IOException;
    }

    private static List<InetSocketAddress> start(final int count, final Starter starter) throws IOException {
        final List<InetSocketAddress> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(starter.start());
        }
        return List.copyOf(started);
    }

    @Override
    public void close() {
        hosts.forEach(PeerHost::close);
        hosts.clear();
    }

    private static final class Host implements PeerHost {
        private final String role;
        private final Map<Family, LoopbackPeers> peers;
        private final Map<Family, Map<PeerKind, List<InetSocketAddress>>> endpoints;

        Host(final String role, final Map<Family, LoopbackPeers> peers,
                final Map<Family, Map<PeerKind, List<InetSocketAddress>>> endpoints) {
            this.role = role;
            this.peers = peers;
            this.endpoints = endpoints;
        }

        @Override
        public String describe() {
            return "loopback host '" + role + "' " + endpoints;
        }

        @Override
        public Set<PeerKind> kinds() {
            return EnumSet.of(PeerKind.ACCEPT, PeerKind.DROP, PeerKind.RESET);
        }

        @Override
        public Set<Family> families() {
            return EnumSet.copyOf(endpoints.keySet());
        }

        @Override
        public List<InetSocketAddress> endpoints(final PeerKind kind, final Family family) {
            final List<InetSocketAddress> found = endpoints.getOrDefault(family, Map.of()).get(kind);
            if (found == null) {
                throw new IllegalArgumentException(describe() + " has no " + kind + " peer over " + family);
            }
            return found;
        }

        /** Closes every listener: pending connects get a reset at their next SYN retransmission. */
        @Override
        public void kill() {
            close();
        }

        @Override
        public void close() {
            peers.values().forEach(LoopbackPeers::close);
        }
    }
}
