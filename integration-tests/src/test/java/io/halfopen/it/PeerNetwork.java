package io.halfopen.it;

/**
 * A way of creating peer hosts behind real firewalls: Docker containers, network namespaces, or loopback
 * sockets. A network owns the hosts it started and removes them, and whatever it set up for them, on
 * {@link #close()}.
 */
interface PeerNetwork extends AutoCloseable {

    /** @return what this network is, for messages and reports */
    String describe();

    /**
     * Starts a peer host, ready: its listeners answer and its rules are installed.
     *
     * @param role a short name for the host, e.g. "main" or "victim"
     * @return the host
     * @throws Exception if it could not be started
     */
    PeerHost startHost(String role) throws Exception;

    /** Removes every host this network started, and the network; idempotent. */
    @Override
    void close();
}
