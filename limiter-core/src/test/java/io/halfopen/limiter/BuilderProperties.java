package io.halfopen.limiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.profile.WindowsProfile;
import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Property-based: every value the builder accepts ends up in the limiter, every value it refuses is named in
 * the message with its option, and setting anything twice (directly, or through another option that sets the
 * same thing) is refused with a message that names both calls.
 */
class BuilderProperties {

    /** A way to set the policy, and how the builder's message describes that call. */
    record PolicySetting(String call, Consumer<HalfOpenLimiterBuilder> apply, int maxHalfOpen) {
        @Override
        public String toString() {
            return call;
        }
    }

    @Provide
    Arbitrary<PolicySetting> policySettings() {
        final Arbitrary<PolicySetting> caps = Arbitraries.integers().between(1, 1000).map(n ->
                new PolicySetting("maxHalfOpen(" + n + ")", b -> b.maxHalfOpen(n), n));
        final Arbitrary<PolicySetting> profiles = Arbitraries.of(WindowsProfile.values()).map(p ->
                new PolicySetting("profile(" + p.name() + ")", b -> b.profile(p),
                        p.limitsHalfOpen() ? p.maxHalfOpen() : Integer.MAX_VALUE));
        final Arbitrary<PolicySetting> policies = Arbitraries.integers().between(1, 1000).map(n ->
                new PolicySetting("policy(half-open-cap(" + n + "))", b -> b.policy(AdmissionPolicy.halfOpenCap(n)), n));
        return Arbitraries.oneOf(caps, profiles, policies);
    }

    @Property(tries = 200)
    void anyAcceptedConfigurationIsTheOneTheLimiterReports(@ForAll("policySettings") final PolicySetting policy,
            @ForAll @LongRange(min = 1, max = 86_400_000L) final long halfOpenMillis,
            @ForAll @LongRange(min = 0, max = 86_400_000L) final long queueMillis,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) final int maxQueued) {
        final HalfOpenLimiterBuilder builder = HalfOpenLimiter.builder().clock(new VirtualClock());
        policy.apply().accept(builder);
        builder.halfOpenTimeout(Duration.ofMillis(halfOpenMillis)).maxQueued(maxQueued);
        if (queueMillis > 0) {
            builder.queueTimeout(Duration.ofMillis(queueMillis));
        } else {
            builder.noQueueTimeout();
        }
        final HalfOpenLimiter limiter = builder.build();
        assertEquals(policy.maxHalfOpen(), limiter.maxHalfOpen());
        assertEquals(Duration.ofMillis(halfOpenMillis), limiter.halfOpenTimeout());
        assertEquals(queueMillis > 0 ? Duration.ofMillis(queueMillis) : null, limiter.queueTimeout());
        assertEquals(maxQueued, limiter.maxQueued());
    }

    @Property(tries = 200)
    void settingThePolicyTwiceIsRefusedNamingBothCalls(@ForAll("policySettings") final PolicySetting first,
            @ForAll("policySettings") final PolicySetting second) {
        final HalfOpenLimiterBuilder builder = HalfOpenLimiter.builder();
        first.apply().accept(builder);
        final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> second.apply().accept(builder));
        assertTrue(e.getMessage().contains("already set to") && e.getMessage().contains("by " + first.call())
                && e.getMessage().contains("by " + second.call()), e.getMessage());
    }

    /** Each scalar option, set once with a valid value. */
    @Provide
    Arbitrary<String> scalarOptions() {
        return Arbitraries.of("halfOpenTimeout", "queueTimeout", "noQueueTimeout", "maxQueued", "limitEvents",
                "exemptLoopback", "name", "ticker", "scheduler", "clock", "limitEventMinInterval", "shadow");
    }

    private static void set(final HalfOpenLimiterBuilder builder, final String option, final int value) {
        final VirtualClock clock = new VirtualClock();
        switch (option) {
            case "halfOpenTimeout" -> builder.halfOpenTimeout(Duration.ofSeconds(1 + value));
            case "queueTimeout" -> builder.queueTimeout(Duration.ofSeconds(1 + value));
            case "noQueueTimeout" -> builder.noQueueTimeout();
            case "maxQueued" -> builder.maxQueued(value);
            case "limitEvents" -> builder.limitEvents(LimitEventMode.values()[value % 3]);
            case "exemptLoopback" -> builder.exemptLoopback(value % 2 == 0);
            case "name" -> builder.name("limiter-" + value);
            case "ticker" -> builder.ticker(clock);
            case "scheduler" -> builder.scheduler(clock);
            case "clock" -> builder.clock(clock);
            case "limitEventMinInterval" -> builder.limitEventMinInterval(Duration.ofMillis(1 + value));
            case "shadow" -> builder.shadow(value % 2 == 0);
            default -> throw new AssertionError(option);
        }
    }

    /** Which setting an option sets: the timeouts' pair, and the clock's two. */
    private static List<String> settingsOf(final String option) {
        return switch (option) {
            case "noQueueTimeout" -> List.of("queueTimeout");
            case "clock" -> List.of("ticker", "scheduler");
            default -> List.of(option);
        };
    }

    @Property(tries = 300)
    void settingAnythingTwiceIsRefusedNamingTheSettingAndBothCalls(@ForAll("scalarOptions") final String first,
            @ForAll("scalarOptions") final String second, @ForAll @IntRange(min = 0, max = 50) final int value) {
        final HalfOpenLimiterBuilder builder = HalfOpenLimiter.builder();
        set(builder, first, value);
        final boolean conflicts = settingsOf(first).stream().anyMatch(settingsOf(second)::contains);
        if (!conflicts) {
            set(builder, second, value); // independent settings combine
            return;
        }
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> set(builder, second, value));
        assertTrue(e.getMessage().contains(" was already set to ") && e.getMessage().contains("by " + first)
                && e.getMessage().contains("by " + second), e.getMessage());
    }

    @Property(tries = 100)
    void outOfRangeNumbersAreRefusedNamingTheOptionAndTheValue(@ForAll @IntRange(min = Integer.MIN_VALUE, max = 0)
            final int notPositive) {
        final IllegalArgumentException cap = assertThrows(IllegalArgumentException.class,
                () -> HalfOpenLimiter.builder().maxHalfOpen(notPositive));
        assertEquals("maxHalfOpen must be >= 1, was " + notPositive, cap.getMessage());
        if (notPositive < 0) {
            final IllegalArgumentException queue = assertThrows(IllegalArgumentException.class,
                    () -> HalfOpenLimiter.builder().maxQueued(notPositive));
            assertEquals("maxQueued must be >= 0, was " + notPositive, queue.getMessage());
        }
        final Duration duration = Duration.ofMillis(notPositive);
        final IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> HalfOpenLimiter.builder().halfOpenTimeout(duration));
        assertEquals("halfOpenTimeout must be positive, was " + duration, timeout.getMessage());
    }

    @Property(tries = 50)
    void aTickerWithoutItsSchedulerIsRefusedAtBuild(@ForAll @IntRange(min = 0, max = 3) final int extra) {
        final HalfOpenLimiterBuilder builder = HalfOpenLimiter.builder().ticker(new VirtualClock());
        if (extra > 0) {
            builder.maxHalfOpen(extra);
        }
        final IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
        assertTrue(e.getMessage().startsWith("ticker was set by ticker(") && e.getMessage().contains("without a"
                + " scheduler"), e.getMessage());
    }
}
