/**
 * JUnit 5 support: {@link io.halfopen.junit.BehaveLikeXp} on a test class or method gives each test XP SP2's
 * limiters by parameter injection and fails it when it leaves an attempt half-open or queued, or a socket in
 * SYN_SENT.
 */
package io.halfopen.junit;
