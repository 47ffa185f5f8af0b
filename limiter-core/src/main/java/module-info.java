/**
 * halfopen's core: the outbound half-open limiter ({@code io.halfopen.limiter}), its admission-policy seam
 * ({@code io.halfopen.policy}), clocks and schedulers ({@code io.halfopen.time}), the Windows profiles
 * ({@code io.halfopen.profile}) and the inbound session limit ({@code io.halfopen.session}). The lock-free
 * semaphore behind XP's cap ({@code io.halfopen.policy.internal}) is not exported.
 */
module io.halfopen.limiter {
    requires org.slf4j;
    requires jdk.jfr;

    exports io.halfopen.limiter;
    exports io.halfopen.policy;
    exports io.halfopen.profile;
    exports io.halfopen.session;
    exports io.halfopen.time;
}
