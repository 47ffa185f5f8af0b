package io.halfopen.sim.cli;

import io.halfopen.sim.host.HostOptions;
import io.halfopen.sim.spec.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** The limiter's and the stack's options, shared by {@code host} and {@code worm}. */
final class HostOptionsMixin {

    @Option(names = "--half-open-timeout", defaultValue = "21s", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "The limiter's half-open timeout (XP: 21 s, when its stack gives up too). Default: ${DEFAULT-VALUE}.")
    Duration halfOpenTimeout;

    @Option(names = "--queue-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The limiter's queue timeout (not XP: XP let attempts wait). Default: none.")
    Duration queueTimeout;

    @Option(names = "--max-queued", paramLabel = "N", description = "The limiter's queue bound (not XP). Default: none.")
    Integer maxQueued;

    @Option(names = "--rst-retry",
            description = "Windows' retry after a reset (KB 175523): a refused SYN is sent 3 more times, 0.5 s apart.")
    boolean rstRetry;

    HostOptions options() {
        return HostOptions.XP.withHalfOpenTimeout(halfOpenTimeout)
                .withQueue(queueTimeout, maxQueued == null ? Integer.MAX_VALUE : maxQueued)
                .withTcp(HostOptions.XP.tcp().withRstRetry(rstRetry));
    }

    /** Reads 21s, 100ms, 1.5h, PT21S. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(final String value) {
            return Durations.parse(value);
        }
    }
}
