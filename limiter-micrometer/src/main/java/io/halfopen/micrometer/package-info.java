/**
 * Micrometer {@code MeterBinder}s for halfopen's limiters, named the way Micrometer's own binders are
 * ({@code halfopen.half_open}, {@code halfopen.queued}, {@code halfopen.attempts.ended}, ...) and tagged with
 * the limiter's name. Gauges and counters read the limiter's own counters when the registry polls them; only
 * the timers are fed per attempt, through a listener that runs after the attempt's slot is released.
 */
package io.halfopen.micrometer;
