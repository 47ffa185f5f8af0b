package io.halfopen.it;

/**
 * The scenarios against unprivileged loopback peers (a full accept queue drops SYNs; a bound, non-listening
 * port resets): they run anywhere, with no root and no Docker. There is no ICMP peer on loopback.
 */
class LoopbackFirewallTest extends FirewallScenarios {

    @Override
    PeerNetwork openNetwork() {
        return new LoopbackPeerNetwork();
    }
}
