package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

@DisplayName("Bad configuration fails at once with a message naming the parameter and the value")
class BadConfigurationTest {

    private static void rejects(final String message, final Executable configuration) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, configuration).getMessage());
    }

    private static void rejectsNull(final String parameter, final Executable configuration) {
        assertEquals(parameter, assertThrows(NullPointerException.class, configuration).getMessage());
    }

    @Test
    void aNegativeLimit() {
        rejects("maxSessions must be >= 0, was -1", () -> InboundSessionLimiter.builder().maxSessions(-1));
    }

    @Test
    void autoDisconnectMinutesBelowMinusOne() {
        rejects("autoDisconnectMinutes must be -1 (disabled), 0 (within seconds) or 1..4294967294 minutes, was -2",
                () -> InboundSessionLimiter.builder().autoDisconnectMinutes(-2));
    }

    @Test
    void aZeroOrNegativeAutoDisconnectDuration() {
        rejects("autoDisconnect must be > 0, was PT0S",
                () -> InboundSessionLimiter.builder().autoDisconnect(Duration.ZERO));
        rejects("autoDisconnect must be > 0, was PT-1S",
                () -> InboundSessionLimiter.builder().autoDisconnect(Duration.ofSeconds(-1)));
    }

    @Test
    void aZeroOrNegativeNullSessionIdleTimeout() {
        rejects("nullSessionIdleTimeout must be > 0, was PT0S",
                () -> InboundSessionLimiter.builder().nullSessionIdleTimeout(Duration.ZERO));
        rejects("nullSessionIdleTimeout must be > 0, was PT-30S",
                () -> InboundSessionLimiter.builder().nullSessionIdleTimeout(Duration.ofSeconds(-30)));
    }

    @Test
    void aBlankComputerName() {
        rejects("computer must name a computer, was \"\\\\\"", () -> ConnectionInfo.fromComputer("\\\\"));
        rejects("computer must name a computer, was \" \"", () -> ConnectionInfo.fromComputer(" "));
    }

    @Test
    void nullArguments() {
        rejectsNull("profile", () -> InboundSessionLimiter.builder().profile(null));
        rejectsNull("autoDisconnect", () -> InboundSessionLimiter.builder().autoDisconnect(null));
        rejectsNull("nullSessionIdleTimeout", () -> InboundSessionLimiter.builder().nullSessionIdleTimeout(null));
        rejectsNull("exemption", () -> InboundSessionLimiter.builder().exempt(null));
        rejectsNull("listener", () -> InboundSessionLimiter.builder().listener(null));
        rejectsNull("ticker", () -> InboundSessionLimiter.builder().ticker(null));
        rejectsNull("scheduler", () -> InboundSessionLimiter.builder().scheduler(null));
        rejectsNull("clock", () -> InboundSessionLimiter.builder().clock(null));
        rejectsNull("remote", () -> ConnectionInfo.from((java.net.InetSocketAddress) null));
        rejectsNull("computer", () -> ConnectionInfo.fromComputer(null));
        rejectsNull("userName", () -> ConnectionInfo.fromComputer("PC").withUser(null, ""));
        rejectsNull("info", () -> InboundSessionLimiter.xpProfessional().admit((ConnectionInfo) null));
        rejectsNull("onDisconnect",
                () -> InboundSessionLimiter.xpProfessional().admit(ConnectionInfo.fromComputer("PC"), null));
        rejectsNull("computer", () -> InboundSessionLimiter.xpProfessional().disconnect(null));
    }
}
