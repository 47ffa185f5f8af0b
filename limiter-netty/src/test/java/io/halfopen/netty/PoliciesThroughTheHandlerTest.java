package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.DeadDestinationException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.policy.PolicyDescriptor;
import io.halfopen.policy.PolicyRegistry;
import io.halfopen.time.VirtualClock;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every policy of the registry, named as a configuration file names it, through {@link HalfOpenLimitHandler} in
 * virtual time: each channel's connect asks the policy for a slot, is issued on its own loop once granted, and
 * its outcome reaches the policy; the policies whose timing matters keep it through the handler.
 */
@DisplayName("Every registry policy through the Netty handler, in virtual time")
class PoliciesThroughTheHandlerTest {

    private final VirtualClock clock = new VirtualClock();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private HalfOpenLimiter limiter;
    private HalfOpenLimitHandler handler;

    static Stream<String> policies() {
        return PolicyRegistry.builtIn().descriptors().stream().map(PolicyDescriptor::name);
    }

    private void use(final String policy) {
        limiter = HalfOpenLimiter.builder().clock(clock).policy(policy).build();
        handler = new HalfOpenLimitHandler(limiter, HalfOpenLimitHandler.ALL_CHANNELS);
    }

    private final class Client {
        final ConnectCapture transport = new ConnectCapture();
        final EmbeddedChannel channel = new EmbeddedChannel(transport, handler);
        final ChannelFuture connect;

        Client(final int host) {
            channels.add(channel);
            connect = channel.connect(new InetSocketAddress("127.0.0." + host, 4226));
        }

        /** Runs the grant's hop to this channel's loop; returns whether the real connect was issued. */
        boolean issued() {
            channel.runPendingTasks();
            return !transport.connects.isEmpty();
        }
    }

    @AfterEach
    void closeChannels() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        if (limiter != null) {
            limiter.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void connectsToPeersThatAnswerAreEstablishedAndEveryOutcomeReachesThePolicy(final String policy) {
        use(policy);
        final List<Client> clients = new ArrayList<>();
        for (int host = 1; host <= 4; host++) {
            clients.add(new Client(host));
        }
        for (int second = 0; second <= 10 && clients.stream().anyMatch(c -> !c.connect.isDone()); second++) {
            for (final Client c : clients) {
                if (c.issued() && !c.transport.last().isDone()) {
                    c.transport.last().setSuccess();
                }
            }
            clock.advance(Duration.ofSeconds(1));
        }
        for (final Client c : clients) {
            assertTrue(c.connect.isSuccess(), policy + ": " + c.connect.cause());
        }
        final LimiterStats stats = limiter.stats();
        assertEquals(4, stats.established(), policy);
        assertEquals(0, stats.halfOpen(), policy);
        assertEquals(0, stats.queued(), policy);
    }

    @Test
    void williamsonsThrottleLetsOneNewDestinationOutPerSecondThroughTheHandler() {
        use("williamson(workingSet=5, release=1s)");
        final Client first = new Client(1);
        final Client second = new Client(2);
        final Client third = new Client(3);
        assertTrue(first.issued(), "the delay queue is empty: the first new destination goes at once");
        assertFalse(second.issued());
        clock.advance(Duration.ofMillis(999));
        assertFalse(second.issued(), "not before the release interval");
        clock.advance(Duration.ofMillis(1));
        assertTrue(second.issued());
        assertFalse(third.issued());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(third.issued());
        final Client again = new Client(1);
        assertTrue(again.issued(), "127.0.0.1 is in the working set: it goes at once");
    }

    @Test
    void aDestinationThatTimesOutThreeTimesFailsAtOnceWithDeadDestinationException() {
        use("deadDestination(failures=3, window=2m, ttl=5m)");
        for (int i = 0; i < 3; i++) {
            final Client c = new Client(9);
            assertTrue(c.issued());
            c.transport.last().setFailure(new ConnectTimeoutException("connection timed out after 30000 ms"));
            assertInstanceOf(ConnectTimeoutException.class, c.connect.cause());
        }
        final Client next = new Client(9);
        assertFalse(next.issued(), "no connect is issued to a dead destination");
        assertInstanceOf(DeadDestinationException.class, next.connect.cause());
        assertTrue(new Client(8).issued(), "other destinations are not affected");
    }
}
