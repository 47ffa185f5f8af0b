package io.halfopen.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimitEventMode;
import io.halfopen.profile.WindowsProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The agent's argument string: every option, its default, and a message naming each bad value. */
class AgentOptionsTest {

    @Test
    void noArgumentsMeanWindowsXpSp2() {
        final AgentOptions options = AgentOptions.parse(null);
        assertTrue(options.valid());
        assertEquals(WindowsProfile.XP_PRO_SP2, options.profile);
        assertEquals(10, options.effectiveMaxHalfOpen());
        assertNull(options.halfOpenTimeout);
        assertNull(options.queueTimeout);
        assertFalse(options.exemptLoopback);
        assertEquals(LimitEventMode.ONCE_PER_EPISODE, options.limitEvents);
        assertEquals(AgentOptions.LogTarget.SYSTEM_LOGGER, options.log);
        assertTrue(options.sessionLimit().isEmpty());
        assertFalse(options.strict);
        final HalfOpenLimiter limiter = AgentStartup.buildLimiter(options, "test");
        assertEquals(10, limiter.maxHalfOpen());
        assertEquals(Duration.ofSeconds(21), limiter.halfOpenTimeout());
        assertNull(limiter.queueTimeout());
    }

    @Test
    void everyOptionIsRead() {
        final AgentOptions options = AgentOptions.parse("profile=xp_home_sp2, maxHalfOpen=50,halfOpenTimeout=2s,"
                + "queueTimeout=PT1.5S,exemptLoopback=true,limitEvents=every-throttled-attempt,log=file:/tmp/x.log,"
                + "sessions=on,strict=true");
        assertTrue(options.valid(), options.errors::toString);
        assertEquals(WindowsProfile.XP_HOME_SP2, options.profile);
        assertEquals(50, options.effectiveMaxHalfOpen());
        assertEquals(Duration.ofSeconds(2), options.halfOpenTimeout);
        assertEquals(Duration.ofMillis(1500), options.queueTimeout);
        assertTrue(options.exemptLoopback);
        assertEquals(LimitEventMode.EVERY_THROTTLED_ATTEMPT, options.limitEvents);
        assertEquals(Path.of("/tmp/x.log"), options.logFile);
        assertEquals(5, options.sessionLimit().orElseThrow());
        assertTrue(options.strict);
        final HalfOpenLimiter limiter = AgentStartup.buildLimiter(options, "test");
        assertEquals(50, limiter.maxHalfOpen());
        assertEquals(Duration.ofMillis(1500), limiter.queueTimeout());
    }

    @Test
    void anUnlimitedProfileAndTheUnlimitedPolicyLimitNothing() {
        assertEquals(Integer.MAX_VALUE, AgentOptions.parse("profile=WINDOWS_7").effectiveMaxHalfOpen());
        final AgentOptions unlimited = AgentOptions.parse("policy=unlimited");
        assertTrue(unlimited.valid());
        assertEquals(Integer.MAX_VALUE, AgentStartup.buildLimiter(unlimited, "test").maxHalfOpen());
        assertEquals(7, AgentStartup.buildLimiter(AgentOptions.parse("policy=half-open-cap,maxHalfOpen=7"), "test")
                .maxHalfOpen());
    }

    @Test
    void aPolicyOfTheRegistryIsNamedInItsSyntaxAndItsCommasDoNotSplitTheOptions() {
        final AgentOptions options = AgentOptions.parse(
                "policy=williamson(workingSet=5, release=1s, within=halfOpenCap(maxHalfOpen=4)),halfOpenTimeout=2s");
        assertTrue(options.valid(), options.errors::toString);
        assertEquals("williamson(workingSet=5, release=1s, within=halfOpenCap(maxHalfOpen=4))", options.policy);
        assertEquals(Duration.ofSeconds(2), options.halfOpenTimeout);
        final HalfOpenLimiter limiter = AgentStartup.buildLimiter(options, "test");
        assertEquals(io.halfopen.policy.PolicyRegistry.builtIn().parse(options.policy), limiter.policy());
        assertTrue(options.describe().contains("policy williamson(workingSet=5"), options.describe());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "maxHalfOpen=0|maxHalfOpen=0 must be a whole number of at least 1",
        "maxHalfOpen=ten|maxHalfOpen=ten must be a whole number of at least 1",
        "profile=XP_SP9|profile=XP_SP9 is not a Windows profile; one of NT4_WORKSTATION",
        "halfOpenTimeout=21|halfOpenTimeout=21 is not a positive duration (write 21s, 500ms, 2m, 1h or PT21S)",
        "halfOpenTimeout=0s|halfOpenTimeout=0s is not a positive duration",
        "queueTimeout=-1s|queueTimeout=-1s is not a positive duration",
        "exemptLoopback=yes|exemptLoopback=yes must be true or false",
        "strict=1|strict=1 must be true or false",
        "limitEvents=sometimes|limitEvents=sometimes is not one of ONCE_PER_EPISODE, EVERY_THROTTLED_ATTEMPT, NEVER",
        "log=syslog|log=syslog is not a log target: system (System.Logger, the default), stderr, or file:PATH",
        "sessions=many|sessions=many must be a whole number of at least 1 (or on: the profile's limit, or off)",
        "profile=SERVER_2003_SP1,sessions=on|sessions=on: profile SERVER_2003_SP1 has no inbound session limit",
        "policy=nosuch|policy=nosuch is not a policy: ",
        "policy=williamson(workingSet=0)|policy=williamson(workingSet=0) is not a policy: ",
        "policy=williamson(release=1s,maxHalfOpen=5|policy=williamson(release=1s,maxHalfOpen=5 is not a policy: ",
        "policy=williamson(workingSet=5),maxHalfOpen=5|policy=williamson(workingSet=5) and maxHalfOpen=5: a registry"
                + " policy has its own cap",
        "policy=unlimited,maxHalfOpen=5|policy=unlimited and maxHalfOpen=5 contradict each other",
        "maxHalfopen=5|unknown option \"maxHalfopen\" (keys: profile, maxHalfOpen",
        "profile|option \"profile\" has no value",
        "maxHalfOpen=5,maxHalfOpen=6|option maxHalfOpen given twice",
        "maxHalfOpen=5,,|empty option in",
    })
    void aBadValueIsNamedInItsMessage(final String args, final String message) {
        final AgentOptions options = AgentOptions.parse(args);
        assertFalse(options.valid());
        assertTrue(options.errors.stream().anyMatch(e -> e.startsWith(message)),
                () -> "expected a message starting with \"" + message + "\", got " + options.errors);
    }

    @Test
    void everyBadPartIsReportedNotOnlyTheFirst() {
        final List<String> errors = AgentOptions.parse("maxHalfOpen=0,log=syslog,bogus=1").errors;
        assertEquals(3, errors.size(), errors::toString);
    }
}
