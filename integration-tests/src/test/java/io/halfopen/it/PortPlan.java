package io.halfopen.it;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ports of a peer host that has a firewall of its own (a container or a network namespace): every port has
 * a listener, and nft rules inside the host's namespace make some of them drop or reject SYNs, so that what a
 * client sees is the firewall's doing, not a missing listener.
 */
final class PortPlan {

    /** Which ports behave which way. */
    static final Map<PeerKind, List<Integer>> PORTS = Map.of(
            PeerKind.ACCEPT, List.of(8080, 8081, 8082),
            PeerKind.DROP, List.of(8090, 8091),
            PeerKind.RESET, List.of(8092),
            PeerKind.ICMP, List.of(8093));

    /**
     * The families each kind is offered over. ICMP peers are IPv4 only: on these machines (kernel 6.18, veth)
     * a connect rejected with ICMPv6 port-unreachable ends only at the first SYN retransmission, a second
     * later, with or without Java (the first error never ends the connect), which would make a refusal look
     * like a one-second wait. Resets work over both.
     */
    static Set<Family> families(final PeerKind kind) {
        return kind == PeerKind.ICMP ? EnumSet.of(Family.IPV4) : EnumSet.allOf(Family.class);
    }

    /** The nft table the rules live in, inside the peer's namespace. */
    static final String TABLE = "halfopen_peer";

    private PortPlan() {
    }

    /**
     * The peer namespace's sysctls that let every rejected SYN get its ICMP answer: the kernel rate-limits ICMP
     * errors per namespace (by default about one per second per destination, and a burst of 50 in all), and a
     * swallowed port-unreachable would turn a refusal into a timeout.
     */
    static final Map<String, String> ICMP_UNLIMITED = Map.of(
            "net.ipv4.icmp_ratelimit", "0",
            "net.ipv6.icmp.ratelimit", "0",
            "net.ipv4.icmp_msgs_per_sec", "1000000",
            "net.ipv4.icmp_msgs_burst", "1000000");

    /** @return every port a listener must be started on */
    static List<Integer> allPorts() {
        final List<Integer> ports = new ArrayList<>();
        for (final PeerKind kind : PeerKind.values()) {
            ports.addAll(PORTS.get(kind));
        }
        return ports;
    }

    /**
     * Returns the nft commands that install the plan's rules, one command per element, for {@code nft -f -}
     * (joined with newlines) or a single {@code nft} argument (joined with "; ").
     *
     * @return the commands
     */
    static List<String> nftCommands() {
        final List<String> commands = new ArrayList<>();
        commands.add("add table inet " + TABLE);
        commands.add("add chain inet " + TABLE + " input { type filter hook input priority 0; policy accept; }");
        for (final PeerKind kind : PeerKind.values()) {
            for (final int port : PORTS.get(kind)) {
                final String rule = kind.nftRule(port);
                if (rule != null) {
                    commands.add("add rule inet " + TABLE + " input " + rule);
                }
            }
        }
        return commands;
    }
}
