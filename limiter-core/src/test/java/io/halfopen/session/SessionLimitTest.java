package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.profile.WindowsProfile;
import io.halfopen.time.VirtualClock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Past the limit a new session is refused with system error 71")
class SessionLimitTest {

    private final VirtualClock clock = new VirtualClock();

    private InboundSessionLimiter limiter(final WindowsProfile profile) {
        return InboundSessionLimiter.builder().profile(profile).clock(clock).build();
    }

    /** Admits one computer per address 127.0.0.2, .3, ... and returns how many got in before a refusal. */
    private static int admitComputersUntilRefused(final InboundSessionLimiter limiter, final int attempts) {
        for (int i = 0; i < attempts; i++) {
            try {
                limiter.admit(Remote.computer(2 + i));
            } catch (final SessionLimitExceededException refused) {
                return i;
            }
        }
        return attempts;
    }

    @ParameterizedTest(name = "{0} admits {1} computers")
    @CsvSource({
        "XP_PRO_SP2, 10", "XP_PRO_SP1, 10", "XP_HOME_SP2, 5", "XP_HOME_SP1, 5",
        "NT4_WORKSTATION, 10", "WINDOWS_2000_PROFESSIONAL, 10",
        "VISTA_STARTER_SP1, 5", "VISTA_HOME_BASIC_SP1, 5", "VISTA_BUSINESS_SP1, 10", "WINDOWS_7, 20"})
    void eachProfileAdmitsItsNumberOfComputers(final WindowsProfile profile, final int expected) {
        assertEquals(expected, admitComputersUntilRefused(limiter(profile), 100));
    }

    @Test
    void factoryMethodsMatchTheirProfiles() {
        assertEquals(10, InboundSessionLimiter.xpProfessional().maxSessions());
        assertEquals(5, InboundSessionLimiter.xpHome().maxSessions());
        assertEquals(10, InboundSessionLimiter.forProfile(WindowsProfile.NT4_WORKSTATION).maxSessions());
        assertEquals("Windows 7 (unconfirmed)", InboundSessionLimiter.forProfile(WindowsProfile.WINDOWS_7).limitSource());
        assertEquals("Windows XP Home Edition SP2", InboundSessionLimiter.xpHome().limitSource());
    }

    @Test
    void unlimitedAndServerProfilesNeverRefuse() {
        assertEquals(500, admitComputersUntilRefused(
                InboundSessionLimiter.builder().unlimited().clock(clock).build(), 500));
        assertEquals(300, admitComputersUntilRefused(limiter(WindowsProfile.SERVER_2003_SP1), 300));
    }

    @Test
    void aConnectionJoiningAnExistingSessionIsNeverRefused() {
        final InboundSessionLimiter xpPro = limiter(WindowsProfile.XP_PRO_SP2);
        admitComputersUntilRefused(xpPro, 10);

        for (int port = 1; port <= 50; port++) {
            final int p = port;
            assertDoesNotThrow(() -> xpPro.admit(Remote.computer(7, p)));
        }
        assertEquals(51, xpPro.sessions().find("127.0.0.7").orElseThrow().connections());
    }

    @Test
    void theRefusalCarriesErrorCode71XpsTextsTheLimitTheSessionsAndTheComputer() {
        final InboundSessionLimiter xpPro = limiter(WindowsProfile.XP_PRO_SP2);
        admitComputersUntilRefused(xpPro, 10);

        final SessionLimitExceededException refusal =
                assertThrows(SessionLimitExceededException.class, () -> xpPro.admit(Remote.computer(12)));

        assertEquals(71, refusal.errorCode());
        assertEquals("System error 71 has occurred.", refusal.systemErrorLine());
        assertEquals("This remote computer has reached its connection limit, you cannot connect at this time.",
                refusal.errorText());
        assertEquals(10, refusal.limit());
        assertEquals(10, refusal.sessions());
        assertEquals("127.0.0.12", refusal.computer());
        assertEquals("", refusal.userName());
        assertEquals("Windows XP Professional SP2", refusal.limitSource());
        assertEquals("System error 71 has occurred. This remote computer has reached its connection limit, "
                + "you cannot connect at this time. (refused \\\\127.0.0.12: 10 sessions open, limit 10 of "
                + "Windows XP Professional SP2)", refusal.getMessage());
        assertEquals(0, refusal.getStackTrace().length, "a refusal is an expected event, no stack trace");
    }

    @Test
    void aRefusedComputerGetsInOnceAnotherComputerLeaves() {
        final InboundSessionLimiter xpHome = limiter(WindowsProfile.XP_HOME_SP2);
        final SessionConnection first = xpHome.admit(Remote.computer(2));
        for (int i = 3; i <= 6; i++) {
            xpHome.admit(Remote.computer(i));
        }
        assertThrows(SessionLimitExceededException.class, () -> xpHome.admit(Remote.computer(7)));

        first.close();

        assertDoesNotThrow(() -> xpHome.admit(Remote.computer(7)));
        assertEquals(5, xpHome.stats().sessions());
    }

    @Test
    void nullSessionsCountAgainstTheLimit() {
        final InboundSessionLimiter xpHome = limiter(WindowsProfile.XP_HOME_SP2);
        for (int i = 0; i < 5; i++) {
            xpHome.admit(ConnectionInfo.from(Remote.computer(2)).asAnonymous());
        }

        assertThrows(SessionLimitExceededException.class, () -> xpHome.admit(Remote.computer(2)));
        assertThrows(SessionLimitExceededException.class,
                () -> xpHome.admit(ConnectionInfo.from(Remote.computer(3)).asAnonymous()));
    }

    @Test
    @DisplayName("administrative clients are exempt: the limit does not apply to administrative tools (KB 314882)")
    void exemptConnectionsAreListedButNeitherCountedNorRefused() {
        final InboundSessionLimiter xpHome = InboundSessionLimiter.builder()
                .profile(WindowsProfile.XP_HOME_SP2)
                .exempt(info -> info.computer().equals("ADMIN-PC"))
                .clock(clock).build();
        for (int i = 2; i <= 6; i++) {
            xpHome.admit(Remote.computer(i));
        }

        xpHome.admit(ConnectionInfo.fromComputer("ADMIN-PC"));

        assertEquals(6, xpHome.stats().sessions());
        assertEquals(1, xpHome.stats().exemptSessions());
        assertTrue(xpHome.sessions().find("ADMIN-PC").orElseThrow().exempt());
        assertThrows(SessionLimitExceededException.class, () -> xpHome.admit(Remote.computer(7)));
    }

    @Test
    void zeroSessionsRefusesEveryoneButExemptClients() {
        final InboundSessionLimiter none = InboundSessionLimiter.builder()
                .maxSessions(0).exempt(info -> info.userName().equals("Administrator")).clock(clock).build();

        final SessionLimitExceededException refusal =
                assertThrows(SessionLimitExceededException.class, () -> none.admit(Remote.computer(2)));
        assertEquals("custom limit", refusal.limitSource());
        assertDoesNotThrow(() -> none.admit(ConnectionInfo.from(Remote.computer(2)).withUser("Administrator", "")));
    }
}
