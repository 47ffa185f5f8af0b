package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.halfopen.session.ConnectionInfo;
import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.time.VirtualClock;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The default describer (the computer is the remote IP address) reuses the last description for the next channel
 * from the same zoneless address: whatever the order of the channels, each one's computer must be the one
 * {@link ConnectionInfo#from(InetSocketAddress)} names for its own address (another port of the same address is
 * the same computer; another zone of the same IPv6 address is another computer, and so is no zone).
 */
@DisplayName("The default describer, with its reused description")
class DefaultDescriberTest {

    private final InboundSessionLimiter limiter = InboundSessionLimiter.builder().clock(new VirtualClock())
            .maxSessions(1_000).build();
    private final InboundSessionLimitHandler handler = new InboundSessionLimitHandler(limiter);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    /** An embedded channel whose remote address is an IP socket address, known before it is registered. */
    private static final class FromAddress extends EmbeddedChannel {
        private final InetSocketAddress remote;

        FromAddress(final InetSocketAddress remote) {
            super(false, false);
            this.remote = remote;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return remote;
        }
    }

    @AfterEach
    void closeChannels() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private String computerOf(final InetSocketAddress remote) throws Exception {
        final FromAddress channel = new FromAddress(remote);
        channels.add(channel);
        channel.register();
        channel.pipeline().addLast(handler); // active already: admitted in handlerAdded
        return InboundSessionLimitHandler.connection(channel).info().computer();
    }

    private static InetSocketAddress v6(final String text, final int scope, final int port)
            throws UnknownHostException {
        final byte[] bytes = InetAddress.getByName(text).getAddress();
        return new InetSocketAddress(scope < 0 ? Inet6Address.getByAddress(bytes)
                : Inet6Address.getByAddress(null, bytes, scope), port);
    }

    @Test
    void everyChannelIsTheComputerOfItsOwnAddressWhateverCameBefore() throws Exception {
        final List<InetSocketAddress> order = List.of(
                new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 1000),
                new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 2000), // same computer, other port
                new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 1000),
                new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 3000),
                v6("fe80::1", -1, 1), // no zone
                v6("fe80::1", -1, 2), // no zone again: reused
                v6("fe80::1", 1, 3), // zone 1 after the zoneless one: another computer
                v6("fe80::1", 2, 4), // zone 2 after zone 1
                v6("fe80::1", 2, 5),
                v6("fe80::1", -1, 6), // back to no zone
                v6("fe80::1", 0, 7), // scope id 0: no zone in the name either
                v6("2001:db8::1", -1, 8),
                v6("::ffff:192.0.2.1", -1, 9)); // InetAddress makes it the IPv4 address: the first computer
        for (final InetSocketAddress remote : order) {
            assertEquals(ConnectionInfo.from(remote).computer(), computerOf(remote), "the computer of " + remote);
        }
        assertEquals(6, limiter.sessions().size(), limiter.sessions().render());
    }
}
