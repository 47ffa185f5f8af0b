/**
 * Micrometer metrics for halfopen's limiters: {@link io.halfopen.micrometer.HalfOpenLimiterMetrics} for a
 * {@code HalfOpenLimiter}, {@link io.halfopen.micrometer.InboundSessionLimiterMetrics} for an
 * {@code InboundSessionLimiter}. Both are Micrometer {@code MeterBinder}s.
 */
module io.halfopen.micrometer {
    requires transitive io.halfopen.limiter;
    requires transitive micrometer.core;

    exports io.halfopen.micrometer;
}
