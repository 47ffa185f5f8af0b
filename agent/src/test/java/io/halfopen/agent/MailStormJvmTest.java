package io.halfopen.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.halfopen.agent.programs.MailStorm;
import io.halfopen.testkit.LoopbackPeers;
import io.halfopen.testkit.SynSentVerdict;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Jakarta Mail sending to an accepting SMTP server (GreenMail, in this JVM) and to a dropping "MX host", from a
 * child JVM that knows nothing of halfopen; judged by the kernel's trace and by GreenMail's inbox.
 */
@Tag("child-jvm")
class MailStormJvmTest {

    private static final int LIMIT = 10;

    private static ChildJvm.Result send(final List<String> jvmArgs, final GreenMail greenMail,
            final LoopbackPeers peers, final SynSentVerdict[] verdict) throws Exception {
        final InetSocketAddress smtp = new InetSocketAddress("127.0.0.1", greenMail.getSmtp().getPort());
        final InetSocketAddress drop = peers.dropping();
        final Judged<ChildJvm.Result> run = Judged.run(List.of(smtp, drop),
                () -> ChildJvm.run(jvmArgs, MailStorm.class, Duration.ofSeconds(90), "4000",
                        SocketStormJvmTest.target(smtp, 20), SocketStormJvmTest.target(drop, 20)));
        verdict[0] = run.verdict();
        return run.result();
    }

    private static GreenMail greenMail() {
        final GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)
                .dynamicPort());
        greenMail.start();
        return greenMail;
    }

    @Test
    void mailToLivePeersArrivesAndTheKernelStaysAtTheLimit() throws Exception {
        final GreenMail greenMail = greenMail();
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final SynSentVerdict[] verdict = new SynSentVerdict[1];
            final ChildJvm.Result child = send(List.of(ChildJvm.javaagent("halfOpenTimeout=500ms")), greenMail,
                    peers, verdict);
            System.out.println("Jakarta Mail with the agent: " + verdict[0].summary(LIMIT) + "; " + child.result()
                    + "; GreenMail received " + greenMail.getReceivedMessages().length);
            assertEquals(0, child.exit(), child::toString);
            verdict[0].assertNeverAbove(LIMIT);
            verdict[0].assertReached(LIMIT);
            assertEquals(20, child.count("sent"), child::toString);
            assertEquals(20, child.count("SocketTimeoutException"), child::toString);
            assertEquals(20, greenMail.getReceivedMessages().length);
        } finally {
            greenMail.stop();
        }
    }

    @Test
    void withoutTheAgentTheSameMailExceedsTheLimit() throws Exception {
        final GreenMail greenMail = greenMail();
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final SynSentVerdict[] verdict = new SynSentVerdict[1];
            final ChildJvm.Result child = send(List.of(), greenMail, peers, verdict);
            System.out.println("Jakarta Mail without the agent (control): " + verdict[0].summary(LIMIT) + "; "
                    + child.result());
            assertEquals(0, child.exit(), child::toString);
            assertTrue(verdict[0].peak() > LIMIT, () -> verdict[0].summary(LIMIT));
            assertEquals(20, greenMail.getReceivedMessages().length);
        } finally {
            greenMail.stop();
        }
    }
}
