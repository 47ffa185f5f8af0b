package io.halfopen.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Peer hosts in network namespaces (harness.md, recipe C; root): each host is a namespace
 * {@code halfopen-it-<pid>-<n>} joined to this one by a veth pair, addressed in 198.19.n.0/24 and
 * 2001:2:0:19nn::/64 (RFC 2544's and RFC 5180's benchmarking ranges), with the {@link PortPlan}'s nft rules in
 * the namespace and a {@link PeerListener} JVM inside it listening on every port. Traffic never leaves the
 * machine: the only route to those addresses is the veth pair. Every host is torn down on {@link #close()}
 * (listener killed first, then the namespace deleted, which removes the veth pair); {@code env/prepare.sh}
 * removes what a killed JVM left.
 */
final class NamespacePeerNetwork implements PeerNetwork {

    private static final AtomicInteger NEXT_INDEX = new AtomicInteger();
    private static final long PID = ProcessHandle.current().pid();

    private final List<Host> hosts = new CopyOnWriteArrayList<>();

    /**
     * Fails under CI, and skips elsewhere, unless this JVM can create namespaces.
     */
    static void requirePrivileges() {
        Requirements.require(Commands.isRoot(), "network namespaces need root (run the tests as root, or rely on"
                + " the loopback variant)");
        Requirements.require(Commands.exists("ip") && Commands.exists("nft"), "network namespaces need the ip and"
                + " nft tools (apt-get install iproute2 nftables, or run integration-tests/env/prepare.sh)");
    }

    @Override
    public String describe() {
        return "network namespaces (veth, nftables)";
    }

    @Override
    public PeerHost startHost(final String role) throws IOException {
        final int index = NEXT_INDEX.getAndIncrement();
        if (index > 255) {
            throw new IllegalStateException("more than 256 namespace hosts in one run");
        }
        final Host host = new Host(role, index);
        hosts.add(host);
        try {
            host.start();
            HostProbe.verify(host);
        } catch (final IOException | RuntimeException e) {
            host.close();
            throw e;
        }
        return host;
    }

    @Override
    public void close() {
        hosts.forEach(Host::close);
        hosts.clear();
    }

    private static final class Host extends PlannedPeerHost {
        private final String role;
        private final String namespace;
        private final String hostVeth;
        private final String peerVeth;
        private final InetAddress ipv4;
        private final InetAddress ipv6;
        private final String hostIpv4;
        private final String hostIpv6;
        private Process listener;
        private boolean closed;

        Host(final String role, final int index) throws IOException {
            this.role = role;
            this.namespace = "halfopen-it-" + PID + "-" + index;
            final String veth = "hoit" + (PID % 100_000) + "x" + index; // at most 15 characters
            this.hostVeth = veth + "h";
            this.peerVeth = veth + "p";
            final String prefix6 = String.format(Locale.ROOT, "2001:2:0:%x::", 0x1900 + index);
            this.hostIpv4 = "198.19." + index + ".1";
            this.hostIpv6 = prefix6 + "1";
            this.ipv4 = InetAddress.getByName("198.19." + index + ".2");
            this.ipv6 = InetAddress.getByName(prefix6 + "2");
        }

        void start() throws IOException {
            Commands.run("ip", "netns", "add", namespace);
            Commands.run("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", peerVeth, "netns",
                    namespace);
            Commands.run("ip", "addr", "add", hostIpv4 + "/24", "dev", hostVeth);
            Commands.run("ip", "-6", "addr", "add", hostIpv6 + "/64", "dev", hostVeth, "nodad");
            Commands.run("ip", "link", "set", hostVeth, "up");
            Commands.run("ip", "-n", namespace, "addr", "add", ipv4.getHostAddress() + "/24", "dev", peerVeth);
            Commands.run("ip", "-n", namespace, "-6", "addr", "add", ipv6.getHostAddress() + "/64", "dev",
                    peerVeth, "nodad");
            Commands.run("ip", "-n", namespace, "link", "set", peerVeth, "up");
            Commands.run("ip", "-n", namespace, "link", "set", "lo", "up");
            for (final Map.Entry<String, String> sysctl : PortPlan.ICMP_UNLIMITED.entrySet()) {
                Commands.run("ip", "netns", "exec", namespace, "sysctl", "-q", "-w",
                        sysctl.getKey() + "=" + sysctl.getValue());
            }
            Commands.runWithInput(String.join("\n", PortPlan.nftCommands()) + "\n", "ip", "netns", "exec",
                    namespace, "nft", "-f", "-");
            startListener();
        }

        private void startListener() throws IOException {
            final List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss256k", "-Xmx32m",
                    "-XX:TieredStopAtLevel=1", "-cp", classpathOf(PeerListener.class),
                    PeerListener.class.getName()));
            PortPlan.allPorts().forEach(port -> command.add(Integer.toString(port)));
            listener = new ProcessBuilder(command).redirectErrorStream(true).start();
            final BufferedReader out = new BufferedReader(new InputStreamReader(listener.getInputStream(),
                    StandardCharsets.UTF_8));
            final String first = out.readLine(); // bounded: the listener prints or exits
            if (!PeerListener.READY.equals(first)) {
                throw new IOException("the peer listener in " + namespace + " did not start: " + first);
            }
        }

        private static String classpathOf(final Class<?> type) {
            try {
                return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            } catch (final java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String describe() {
            return "namespace host '" + role + "' " + namespace + " (" + ipv4.getHostAddress() + ", "
                    + ipv6.getHostAddress() + ")";
        }

        @Override
        InetAddress address(final Family family) {
            return family == Family.IPV4 ? ipv4 : ipv6;
        }

        /** Kills the listener, then deletes the namespace with the veth pair: the peers vanish mid-flight. */
        @Override
        public synchronized void kill() throws IOException {
            stopListener();
            Commands.run("ip", "netns", "del", namespace);
        }

        private void stopListener() {
            if (listener != null) {
                listener.destroyForcibly();
                try {
                    listener.waitFor(10, TimeUnit.SECONDS);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                listener = null;
            }
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            stopListener();
            Commands.runQuietly("ip", "netns", "del", namespace);
            Commands.runQuietly("ip", "link", "del", hostVeth);
        }
    }
}
