/**
 * A JUnit 5 extension for suites that behave like Windows XP SP2: {@link io.halfopen.junit.BehaveLikeXp}.
 * Netty and plain JDK sockets are optional: a test that asks for a {@code HalfOpenLimitHandler} or a
 * {@code HalfOpenSocketFactory} has them on its path already.
 */
module io.halfopen.junit {
    requires transitive io.halfopen.limiter;
    requires transitive org.junit.jupiter.api;
    requires io.halfopen.testkit;
    requires static io.halfopen.netty;
    requires static io.halfopen.jdk;

    exports io.halfopen.junit;
}
