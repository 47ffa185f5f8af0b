package io.halfopen.limiter;

import io.halfopen.policy.AdmissionPolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.halfopen.profile.WindowsProfile;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

@DisplayName("Bad configuration fails at once, naming the option and the value")
class BuilderValidationTest {

    private static void assertRejected(final String expectedMessage, final Executable configuration) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, configuration);
        assertEquals(expectedMessage, e.getMessage());
    }

    @Test
    void maxHalfOpenBelowOne() {
        assertRejected("maxHalfOpen must be >= 1, was 0", () -> HalfOpenLimiter.builder().maxHalfOpen(0));
        assertRejected("maxHalfOpen must be >= 1, was -10", () -> HalfOpenLimiter.builder().maxHalfOpen(-10));
    }

    @Test
    void zeroOrNegativeDurations() {
        assertRejected("halfOpenTimeout must be positive, was PT0S",
                () -> HalfOpenLimiter.builder().halfOpenTimeout(Duration.ZERO));
        assertRejected("halfOpenTimeout must be positive, was PT-1S",
                () -> HalfOpenLimiter.builder().halfOpenTimeout(Duration.ofSeconds(-1)));
        assertRejected("queueTimeout must be positive, was PT0S",
                () -> HalfOpenLimiter.builder().queueTimeout(Duration.ZERO));
        assertRejected("queueTimeout must be positive, was PT-0.001S",
                () -> HalfOpenLimiter.builder().queueTimeout(Duration.ofMillis(-1)));
    }

    @Test
    void durationsTooLongForNanoseconds() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HalfOpenLimiter.builder().queueTimeout(Duration.ofDays(365L * 1000)));
        assertEquals("queueTimeout is too long (at most about 292 years), was PT8760000H", e.getMessage());
    }

    @Test
    void negativeMaxQueued() {
        assertRejected("maxQueued must be >= 0, was -1", () -> HalfOpenLimiter.builder().maxQueued(-1));
    }

    @Test
    void blankName() {
        assertRejected("name must not be blank, was \" \"", () -> HalfOpenLimiter.builder().name(" "));
    }

    @Test
    void nullsNameTheOption() {
        assertEquals("halfOpenTimeout", assertThrows(NullPointerException.class,
                () -> HalfOpenLimiter.builder().halfOpenTimeout(null)).getMessage());
        assertEquals("policy", assertThrows(NullPointerException.class,
                () -> HalfOpenLimiter.builder().policy((AdmissionPolicy) null)).getMessage());
        assertEquals("policy", assertThrows(NullPointerException.class,
                () -> HalfOpenLimiter.builder().policy((String) null)).getMessage());
        assertEquals("profile", assertThrows(NullPointerException.class,
                () -> HalfOpenLimiter.builder().profile(null)).getMessage());
        assertEquals("ticker", assertThrows(NullPointerException.class,
                () -> HalfOpenLimiter.builder().ticker(null)).getMessage());
    }

    @Test
    void theBlockingWaitRejectsANonPositiveMaxWait() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.xpSp2();
        assertRejected("maxWait must be positive, was PT0S",
                () -> limiter.acquire(Addresses.remote(25), Duration.ZERO));
    }

    @Test
    void theDefaultsAreXpSp2s() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.xpSp2();
        assertEquals(10, limiter.maxHalfOpen());
        assertEquals(Duration.ofSeconds(21), limiter.halfOpenTimeout());
        assertNull(limiter.queueTimeout(), "XP let attempts wait");
        assertEquals(Integer.MAX_VALUE, limiter.maxQueued(), "XP's queue was unbounded");
        assertEquals("half-open-cap(10)", limiter.policy().name());
    }

    @Test
    void profilesWithoutALimitGetTheUnlimitedPolicy() {
        assertEquals("unlimited", HalfOpenLimiter.forProfile(WindowsProfile.WINDOWS_7).policy().name());
        assertEquals("unlimited", HalfOpenLimiter.forProfile(WindowsProfile.XP_PRO_SP1).policy().name());
        assertEquals(10, HalfOpenLimiter.forProfile(WindowsProfile.XP_HOME_SP2).maxHalfOpen());
        assertEquals(25, HalfOpenLimiter.forProfile(WindowsProfile.VISTA_ULTIMATE_SP1).maxHalfOpen());
    }
}
