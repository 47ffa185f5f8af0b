package io.halfopen.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Makes a test, or every test of a class, behave like a Windows XP SP2 box. Each test gets its own fresh
 * parts, by parameter injection (in the test method, or a {@code @BeforeEach} / {@code @AfterEach} method):
 * <ul>
 *   <li>{@code HalfOpenLimiter}: at most {@link #maxHalfOpen()} outbound connects half-open, XP's FIFO queue,
 *       event 4226, the 21 s half-open timeout; named after the test;</li>
 *   <li>{@code InboundSessionLimiter}: at most {@link #maxSessions()} remote computers, error 71 past them;</li>
 *   <li>{@code HalfOpenLimitHandler} (needs limiter-netty) and {@code HalfOpenSocketFactory} (needs limiter-jdk),
 *       both on that test's limiter;</li>
 *   <li>{@code VirtualClock}, with {@link #virtualTime()}: both limiters then run on it.</li>
 * </ul>
 *
 * <p>At the end of each test that asked for a limiter, the test fails if any attempt is still half-open or
 * queued (an owner that never reported an outcome), or if, by the kernel's {@code /proc/net/tcp*} (sampled, see
 * {@code io.halfopen.testkit.SynSentSampler}), this process still has a socket in SYN_SENT towards a peer one of
 * its attempts went to; the message gives the limiter's stats. When the test itself fails, the stats are added to
 * its failure as a suppressed exception. Each part is closed after the test.
 *
 * <p>On a method, it overrides the class's (and gives that test parts of its own). With
 * {@link Parts#PER_CLASS} on the class, its tests share the parts; the limiter's counters then add up across
 * them, and each test is still checked at its end.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(XpExtension.class)
public @interface BehaveLikeXp {

    /**
     * How many outbound connects may be half-open at once.
     *
     * @return the limit; XP SP2's is 10
     */
    int maxHalfOpen() default 10;

    /**
     * How many remote computers may hold an inbound session at once.
     *
     * @return the limit; 10 is XP Professional's, 5 XP Home's
     */
    int maxSessions() default 10;

    /**
     * Whether the limiters run on a {@code VirtualClock} the test gets as a parameter and advances itself.
     *
     * @return {@code true} for virtual time; default real time
     */
    boolean virtualTime() default false;

    /**
     * Whether each test gets its own parts, or the tests of the class share one set.
     *
     * @return default {@link Parts#PER_TEST}
     */
    Parts parts() default Parts.PER_TEST;

    /**
     * Whether to check, at the end of each test, that no socket of this process towards the test's peers is
     * still in SYN_SENT.
     *
     * @return default {@code true}
     */
    boolean checkSynSent() default true;

    /** Whose parts they are. */
    enum Parts {
        /** Each test gets fresh parts, closed after it. */
        PER_TEST,
        /**
         * The tests of the class share one set of parts, made when the first test asks and closed after the last;
         * every test is still checked at its end. Only on a class.
         */
        PER_CLASS
    }
}
