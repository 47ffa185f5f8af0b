package io.halfopen.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.DummySSLSocketFactory;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.halfopen.jdk.mail.HalfOpenMail;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.limiter.LimiterClosedException;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.testkit.LoopbackPeers;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jakarta Mail (Eclipse Angus) delivering through {@link HalfOpenMail}: GreenMail as the accepting MX, and "MX
 * hosts" on loopback that drop SYNs (a full accept queue) or refuse them (a port bound but not listening).
 */
class JakartaMailTest {

    private static final int LIMIT = 3;

    private final LoopbackPeers peers = new LoopbackPeers();
    private GreenMail mx;

    @BeforeEach
    void startMx() {
        final ServerSetup[] setups = {
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS)};
        for (final ServerSetup setup : setups) {
            // GreenMail's default of 2 s is too short for SMTPS on a loaded 2-core machine: "Could not start mail
            // server smtps:127.0.0.1:0" at load 13. It only bounds the wait for the server thread to listen.
            setup.setServerStartupTimeout(30_000);
        }
        mx = new GreenMail(setups);
        mx.start();
    }

    @AfterEach
    void stop() {
        mx.stop();
        peers.close();
    }

    private static Properties smtp(final String protocol, final InetSocketAddress host) {
        final Properties props = new Properties();
        props.put("mail." + protocol + ".host", host.getAddress().getHostAddress());
        props.put("mail." + protocol + ".port", Integer.toString(host.getPort()));
        props.put("mail." + protocol + ".connectiontimeout", "10000"); // the limiter's half-open timeout is shorter
        props.put("mail." + protocol + ".timeout", "10000");
        props.put("mail.transport.protocol", protocol);
        return props;
    }

    private static void send(final Properties props, final String subject) throws MessagingException {
        send(props, "smtp", subject);
    }

    private static void send(final Properties props, final String protocol, final String subject)
            throws MessagingException {
        final Session session = Session.getInstance(props);
        final MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("sender@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("rcpt@example.org"));
        message.setSubject(subject);
        message.setText("delivered through halfopen");
        message.saveChanges();
        try (Transport transport = session.getTransport(protocol)) {
            transport.connect();
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    private static Throwable rootCause(final Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    private static <T extends Throwable> T causeOfType(final Throwable t, final Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the causes of " + t, t);
    }

    private Set<String> receivedSubjects() throws MessagingException {
        final Set<String> subjects = new java.util.HashSet<>();
        for (final MimeMessage m : mx.getReceivedMessages()) {
            subjects.add(m.getSubject());
        }
        return subjects;
    }

    private static InetSocketAddress address(final com.icegreen.greenmail.server.AbstractServer server) {
        return new InetSocketAddress("127.0.0.1", server.getPort());
    }

    @Test
    void aDeliveryStormKeepsTheLimitDeliversEveryLiveMessageAndFailsEachDeadOneWithItsCause() throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("mail").maxHalfOpen(LIMIT)
                .halfOpenTimeout(Duration.ofSeconds(1)).build(); // well above a loaded machine's scheduling delay
        final InetSocketAddress live = address(mx.getSmtp());
        final List<InetSocketAddress> dropping = List.of(peers.dropping(), peers.dropping(), peers.dropping());
        final List<InetSocketAddress> refusing = List.of(peers.refusing(), peers.refusing());
        final int liveCount = 24;
        final int droppingCount = 9;
        final int refusingCount = 6;
        final List<InetSocketAddress> stormPeers = Storm.peers(live, dropping, refusing);

        final List<String> kinds = new ArrayList<>();
        final Storm.Outcome storm = Storm.fire("JakartaMailTest.storm", stormPeers,
                liveCount + droppingCount + refusingCount, i -> {
            final InetSocketAddress host = i < liveCount ? live
                    : i < liveCount + droppingCount ? dropping.get(i % dropping.size())
                    : refusing.get(i % refusing.size());
            kinds.add(i < liveCount ? "live" : i < liveCount + droppingCount ? "dropping" : "refusing");
            return () -> {
                send(HalfOpenMail.limit(smtp("smtp", host), "smtp", limiter), "message " + i);
                return null;
            };
        });
        final List<Object> sends = storm.results();
        final List<String> wrong = new ArrayList<>();
        for (int i = 0; i < sends.size(); i++) {
            final Throwable outcome = (Throwable) sends.get(i);
            switch (kinds.get(i)) {
                case "live" -> {
                    if (outcome != null) {
                        wrong.add(i + " to the live MX failed: " + outcome);
                    }
                }
                case "dropping" -> {
                    final SocketTimeoutException timeout = causeOfType(outcome, SocketTimeoutException.class);
                    assertInstanceOf(HalfOpenTimeoutException.class, timeout.getCause(), () -> "" + outcome);
                }
                default -> assertInstanceOf(ConnectException.class, rootCause(outcome), () -> "" + outcome);
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(mx.waitForIncomingEmail(10_000, liveCount));
        final Set<String> expected = java.util.stream.IntStream.range(0, liveCount).mapToObj(i -> "message " + i)
                .collect(Collectors.toSet());
        assertEquals(expected, receivedSubjects(), "every message to the live MX arrived, once");

        final LimiterStats stats = limiter.stats();
        System.out.println("JakartaMailTest storm: " + stats);
        Storm.assertKernelKeptAndReached(storm.kernel(), LIMIT);
        assertEquals(LIMIT, stats.peakHalfOpen(), () -> "the storm must reach the limit and never pass it: " + stats);
        assertEquals(liveCount, stats.established(), stats::toString);
        assertEquals(droppingCount, stats.timedOut(), stats::toString);
        assertEquals(refusingCount, stats.refused(), stats::toString);
        assertEquals(0, stats.halfOpen(), stats::toString);
        assertEquals(0, stats.queued(), stats::toString);
    }

    @Test
    void withoutTheLimiterTheSameDeadMxsHoldMoreThanTheLimitHalfOpen() throws Exception {
        UnlimitedControl.assertExceedsTheLimit("JakartaMailTest.control", LIMIT, 9,
                List.of(peers.dropping(), peers.dropping(), peers.dropping()), peer -> {
                    final Properties props = smtp("smtp", peer);
                    props.put("mail.smtp.connectiontimeout", "1500");
                    send(props, "control");
                });
    }

    @Test
    void aClosedLimiterStopsTheDeliveryInsteadOfJakartaMailFallingBackToAPlainSocket() throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(LIMIT).build();
        limiter.close();
        final Properties props = HalfOpenMail.limit(smtp("smtp", address(mx.getSmtp())), "smtp", limiter);
        final MessagingException e = assertThrows(MessagingException.class, () -> send(props, "never sent"));
        causeOfType(e, LimiterClosedException.class);

        // The known-bad control: Jakarta Mail's default fallback retries with new Socket(), outside the limiter.
        props.put("mail.smtp.socketFactory.fallback", "true");
        send(props, "bypassed the limiter");
        assertTrue(mx.waitForIncomingEmail(5_000, 1));
        assertEquals(Set.of("bypassed the limiter"), receivedSubjects());
    }

    @Test
    void smtpsWithAnApplicationsOwnSslSocketFactoryCountsTheTcpConnectAndDelivers() throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(LIMIT).build();
        final Properties props = smtp("smtps", address(mx.getSmtps()));
        props.put("mail.smtps.ssl.socketFactory", new DummySSLSocketFactory()); // trusts GreenMail's test cert
        props.put("mail.smtps.ssl.checkserveridentity", "false");
        HalfOpenMail.limit(props, "smtps", limiter);
        send(props, "smtps", "over TLS");
        assertTrue(mx.waitForIncomingEmail(5_000, 1));
        assertEquals(Set.of("over TLS"), receivedSubjects());
        assertEquals(1, limiter.stats().established(), limiter::toString);
        assertEquals(0, limiter.stats().halfOpen());
    }

    @Test
    void smtpsWithJakartaMailsOwnTlsCountsTheTcpConnectAndDelivers() throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(LIMIT).build();
        final Properties props = smtp("smtps", address(mx.getSmtps()));
        props.put("mail.smtps.ssl.trust", "*"); // Jakarta Mail layers its MailSSLSocketFactory over our socket
        props.put("mail.smtps.ssl.checkserveridentity", "false"); // GreenMail's test certificate names no host
        HalfOpenMail.limit(props, "smtps", limiter);
        send(props, "smtps", "over default TLS");
        assertTrue(mx.waitForIncomingEmail(5_000, 1));
        assertEquals(1, limiter.stats().established(), limiter::toString);
    }

    @Test
    void theAdapterRefusesPropertiesThatWouldBypassOrReplaceAFactorySilently() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().build();
        final Properties byClass = new Properties();
        byClass.put("mail.smtps.ssl.socketFactory.class", DummySSLSocketFactory.class.getName());
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HalfOpenMail.limit(byClass, "smtps", limiter));
        assertTrue(e.getMessage().contains("mail.smtps.ssl.socketFactory.class"), e.getMessage());
        final Properties other = new Properties();
        other.put("mail.smtp.socketFactory", javax.net.SocketFactory.getDefault());
        assertThrows(IllegalArgumentException.class, () -> HalfOpenMail.limit(other, "smtp", limiter));
        for (final String bad : Arrays.asList("", " ", "mail.smtp")) {
            assertThrows(IllegalArgumentException.class, () -> HalfOpenMail.limit(new Properties(), bad, limiter));
        }
    }
}
