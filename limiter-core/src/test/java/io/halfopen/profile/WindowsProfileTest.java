package io.halfopen.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Windows profiles carry FACTS.md's numbers")
class WindowsProfileTest {

    @Test
    void xpSp2AndSp3LimitHalfOpenConnectsToTenConfirmed() {
        for (final WindowsProfile profile : new WindowsProfile[] {WindowsProfile.XP_PRO_SP2,
                WindowsProfile.XP_HOME_SP2, WindowsProfile.XP_PRO_SP3, WindowsProfile.XP_HOME_SP3,
                WindowsProfile.SERVER_2003_SP1}) {
            assertEquals(10, profile.maxHalfOpen(), profile.name());
            assertEquals(WindowsProfile.Confidence.CONFIRMED, profile.maxHalfOpenConfidence(), profile.name());
        }
    }

    @Test
    void versionsWithoutTheLimiterAreUnlimited() {
        for (final WindowsProfile profile : new WindowsProfile[] {WindowsProfile.XP_PRO_SP1,
                WindowsProfile.WINDOWS_2000_PROFESSIONAL, WindowsProfile.VISTA_SP2, WindowsProfile.WINDOWS_7}) {
            assertFalse(profile.limitsHalfOpen(), profile.name());
            assertEquals(WindowsProfile.UNLIMITED, profile.maxHalfOpen());
        }
    }

    @Test
    void inboundSessionLimitsOfXpProTenAndXpHomeFive() {
        assertEquals(10, WindowsProfile.XP_PRO_SP2.maxInboundSessions());
        assertEquals(5, WindowsProfile.XP_HOME_SP2.maxInboundSessions());
        assertEquals(10, WindowsProfile.NT4_WORKSTATION.maxInboundSessions());
        assertEquals(10, WindowsProfile.WINDOWS_2000_PROFESSIONAL.maxInboundSessions());
    }

    @Test
    void vistaEditionAndWindows7NumbersAreMarkedUnconfirmed() {
        assertEquals(WindowsProfile.Confidence.UNCONFIRMED, WindowsProfile.VISTA_HOME_BASIC_SP1.maxHalfOpenConfidence());
        assertEquals(WindowsProfile.Confidence.UNCONFIRMED, WindowsProfile.VISTA_ULTIMATE_SP1.maxHalfOpenConfidence());
        assertEquals(20, WindowsProfile.WINDOWS_7.maxInboundSessions());
        assertEquals(WindowsProfile.Confidence.UNCONFIRMED, WindowsProfile.WINDOWS_7.maxInboundSessionsConfidence());
        assertTrue(WindowsProfile.XP_PRO_SP2.displayName().contains("XP Professional"));
    }
}
