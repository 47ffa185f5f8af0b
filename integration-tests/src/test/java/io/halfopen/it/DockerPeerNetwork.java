package io.halfopen.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * Peer hosts in Docker containers, started with Testcontainers (harness.md, recipes A3 and B): each host is a
 * container of the locally built image {@value #IMAGE} (busybox and nft, no registry), its {@code httpd}
 * listening on every port of the {@link PortPlan}, and the plan's nft rules installed inside the container's
 * own namespace ({@code NET_ADMIN}). The containers sit on an {@code --internal} network of their own in
 * 198.18.0.0/16 (RFC 2544) and 2001:2::/48 (RFC 5180), so they have no way out, and are reached at their
 * bridge addresses, never through published ports (docker-proxy would accept on their behalf).
 */
final class DockerPeerNetwork implements PeerNetwork {

    /** The peer image, built by {@code integration-tests/env/prepare.sh}. */
    static final String IMAGE = "halfopen/peer-nft:1";
    /** Every container and network the tests create carries this label; prepare.sh removes leftovers. */
    static final String LABEL = "io.halfopen.it";

    private static final ImagePullPolicy NEVER_PULL = image -> false;

    private final Network network;
    private final List<Host> hosts = new CopyOnWriteArrayList<>();

    private DockerPeerNetwork(final Network network) {
        this.network = network;
    }

    /**
     * Fails under CI, and skips elsewhere, unless a Docker engine answers and the peer image is there.
     */
    static void requireDocker() {
        final boolean engine = DockerClientFactory.instance().isDockerAvailable();
        Requirements.require(engine, "no Docker engine answers (run integration-tests/env/prepare.sh as root: it"
                + " installs docker.io, starts dockerd with its bridge in 198.18.0.0/16 and builds " + IMAGE + ")");
        boolean image;
        try {
            DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec();
            image = true;
        } catch (final NotFoundException missing) {
            image = false;
        }
        Requirements.require(image, "the peer image " + IMAGE + " is missing (build it with"
                + " integration-tests/env/prepare.sh; it is never pulled)");
    }

    /**
     * Creates the peers' internal network, in the first free /24 of 198.18.160.0 to 198.18.191.0.
     *
     * @return the network, with no hosts yet
     */
    static DockerPeerNetwork create() {
        RuntimeException last = null;
        for (int third = 160; third < 192; third++) {
            final String ipv4 = "198.18." + third + ".0/24";
            final String ipv6 = String.format(java.util.Locale.ROOT, "2001:2:0:%x::/64", 0x1800 + third);
            final Network candidate = Network.builder()
                    .enableIpv6(true)
                    .createNetworkCmdModifier(cmd -> cmd
                            .withInternal(true)
                            .withLabels(Map.of(LABEL, "network"))
                            .withIpam(new com.github.dockerjava.api.model.Network.Ipam().withConfig(
                                    new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(ipv4),
                                    new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(ipv6))))
                    .build();
            try {
                candidate.getId(); // creates it
                return new DockerPeerNetwork(candidate);
            } catch (final RuntimeException overlaps) {
                last = overlaps; // another network holds this subnet: try the next
                candidate.close();
            }
        }
        throw new IllegalStateException("no free /24 for the peers' network in 198.18.160.0-198.18.191.255", last);
    }

    @Override
    public String describe() {
        return "Docker containers (Testcontainers, --internal network in 198.18.0.0/16)";
    }

    @Override
    public PeerHost startHost(final String role) throws Exception {
        final String listeners = PortPlan.allPorts().stream()
                .map(port -> "httpd -p " + port + " -h /www || exit 1")
                .collect(Collectors.joining("; "));
        final GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withImagePullPolicy(NEVER_PULL)
                .withNetwork(network)
                .withLabel(LABEL, "peer-" + role)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withCapAdd(Capability.NET_ADMIN)
                        .withSysctls(PortPlan.ICMP_UNLIMITED))
                .withCommand("sh", "-c", listeners + "; exec sleep 2147483647");
        final Host host = new Host(role, container);
        hosts.add(host);
        try {
            container.start();
            host.resolveAddresses();
            final ExecResult rules = container.execInContainer("nft", String.join("; ", PortPlan.nftCommands()));
            if (rules.getExitCode() != 0) {
                throw new IOException("nft in " + host.describe() + " failed: " + rules.getStderr());
            }
            HostProbe.verify(host);
        } catch (final Exception e) {
            host.close();
            throw e;
        }
        return host;
    }

    @Override
    public void close() {
        hosts.forEach(Host::close);
        hosts.clear();
        network.close();
    }

    private static final class Host extends PlannedPeerHost {
        private final String role;
        private final GenericContainer<?> container;
        private InetAddress ipv4;
        private InetAddress ipv6;
        private boolean closed;

        Host(final String role, final GenericContainer<?> container) {
            this.role = role;
            this.container = container;
        }

        void resolveAddresses() throws IOException {
            final Map<String, ContainerNetwork> networks = container.getContainerInfo().getNetworkSettings()
                    .getNetworks();
            if (networks.size() != 1) {
                throw new IOException("expected the peer on exactly one network, was on " + networks.keySet());
            }
            final ContainerNetwork attached = networks.values().iterator().next();
            ipv4 = InetAddress.getByName(attached.getIpAddress());
            ipv6 = InetAddress.getByName(attached.getGlobalIPv6Address());
            if (!attached.getIpAddress().startsWith("198.18.")) {
                throw new IOException("the peer's address " + ipv4 + " is outside 198.18.0.0/16");
            }
        }

        @Override
        public String describe() {
            return "container host '" + role + "' " + container.getContainerName() + " (" + ipv4 + ", " + ipv6
                    + ")";
        }

        @Override
        InetAddress address(final Family family) {
            return family == Family.IPV4 ? ipv4 : ipv6;
        }

        /** Kills the container (SIGKILL): its namespace and addresses vanish mid-flight. */
        @Override
        public void kill() {
            final DockerClient client = DockerClientFactory.instance().client();
            client.killContainerCmd(container.getContainerId()).exec();
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                container.stop();
            }
        }
    }
}
