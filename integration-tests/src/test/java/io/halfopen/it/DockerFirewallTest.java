package io.halfopen.it;

/**
 * The scenarios against peers in Docker containers whose own nftables drop SYNs, reset them or answer with
 * ICMP port-unreachable, over IPv4 and IPv6. Needs a Docker engine and the locally built peer image
 * ({@code integration-tests/env/prepare.sh}); under CI it fails without them, elsewhere it skips.
 */
class DockerFirewallTest extends FirewallScenarios {

    @Override
    PeerNetwork openNetwork() {
        DockerPeerNetwork.requireDocker();
        return DockerPeerNetwork.create();
    }
}
