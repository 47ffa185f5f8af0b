package io.halfopen.junit;

import io.halfopen.jdk.HalfOpenSocketFactory;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.netty.HalfOpenLimitHandler;

/**
 * Makes the parts whose modules are optional. Only called when a test asks for one, so its class (and so
 * Netty's or limiter-jdk's) is loaded only then; the test that names the type has it on its path.
 */
final class OptionalParts {

    private OptionalParts() {
    }

    static Object nettyHandler(final HalfOpenLimiter limiter) {
        return new HalfOpenLimitHandler(limiter);
    }

    static Object socketFactory(final HalfOpenLimiter limiter) {
        return new HalfOpenSocketFactory(limiter);
    }
}
