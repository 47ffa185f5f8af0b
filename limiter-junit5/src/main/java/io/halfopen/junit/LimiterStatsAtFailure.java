package io.halfopen.junit;

/**
 * The limiter's stats when a {@link BehaveLikeXp} test failed, added to its failure as a suppressed exception.
 * Carries no stack trace: only its message matters.
 */
final class LimiterStatsAtFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    LimiterStatsAtFailure(final String stats) {
        super(stats, null, false, false);
    }
}
