package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Authenticating moves a connection to its (computer, user) session")
class AuthenticationTest {

    private final VirtualClock clock = new VirtualClock();
    private final InboundSessionLimiter limiter = InboundSessionLimiter.builder().maxSessions(2).clock(clock).build();

    @Test
    void theOnlyConnectionOfASessionTakesItsPlaceUnderTheLimit() {
        limiter.admit(Remote.computer(2));
        final SessionConnection connection = limiter.admit(Remote.computer(3));

        connection.authenticate("alice", "Windows 2002 Service Pack 2 2600");

        final SessionInfo alice = limiter.sessions().find("127.0.0.3").orElseThrow();
        assertEquals("alice", alice.userName());
        assertEquals("Windows 2002 Service Pack 2 2600", alice.clientType());
        assertEquals(2, limiter.stats().sessions());
        assertEquals(2, limiter.stats().peakSessions(), "the old session ends before the new one opens");
    }

    @Test
    void aSecondUserFromTheSameComputerIsRefusedPastTheLimitAndStaysWhereItWas() {
        limiter.admit(Remote.computer(2));
        limiter.admit(Remote.computer(3, 1)).authenticate("alice", "");
        final SessionConnection second = limiter.admit(Remote.computer(3, 2));

        final SessionLimitExceededException refusal =
                assertThrows(SessionLimitExceededException.class, () -> second.authenticate("bob", ""));

        assertEquals(71, refusal.errorCode());
        assertEquals("bob", refusal.userName());
        assertEquals(2, limiter.sessions().find("127.0.0.3").orElseThrow().connections());
        assertEquals("", second.info().userName());
        assertEquals(1, limiter.stats().refused());
    }

    @Test
    void aSecondUserFromTheSameComputerOpensASecondSessionBelowTheLimit() {
        final SessionConnection first = limiter.admit(Remote.computer(3, 1));
        first.authenticate("alice", "");
        final SessionConnection second = limiter.admit(Remote.computer(3, 2));

        second.authenticate("bob", "");

        assertEquals(2, limiter.stats().sessions());
        assertEquals(List.of("alice", "bob"),
                limiter.sessions().rows().stream().map(SessionInfo::userName).collect(Collectors.toList()));
        second.authenticate("", "");
        assertEquals(1, limiter.stats().sessions(), "an empty user name goes back to the computer's session");
        assertEquals(2, limiter.sessions().rows().get(0).connections());
    }

    @Test
    void joiningAnExistingUserSessionIsNeverRefused() {
        limiter.admit(Remote.computer(3));
        limiter.admit(ConnectionInfo.from(Remote.computer(2)).withUser("alice", ""));
        limiter.admit(Remote.computer(2, 2));
        final SessionConnection third = limiter.admit(Remote.computer(2, 3));

        third.authenticate("ALICE", "");

        assertEquals(2, limiter.stats().sessions());
        assertEquals(3, limiter.sessions().find("127.0.0.2").orElseThrow().connections());
    }

    @Test
    void aNullSessionThatAuthenticatesBecomesAUserSession() {
        final SessionConnection anonymous = limiter.admit(ConnectionInfo.from(Remote.computer(2)).asAnonymous());

        anonymous.authenticate("alice", "");
        clock.advance(Duration.ofMinutes(5));

        assertEquals(0, limiter.stats().nullSessions());
        assertEquals(1, limiter.stats().sessions(), "a user session does not expire after 60 s");
    }

    @Test
    void authenticatingAClosedConnectionFails() {
        final SessionConnection connection = limiter.admit(Remote.computer(2));
        connection.close();

        final IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> connection.authenticate("alice", ""));
        assertEquals("connection already ended: SessionConnection[\\\\127.0.0.2 user '', ended]", e.getMessage());
    }
}
