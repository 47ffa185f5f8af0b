package io.halfopen.policy;

/**
 * The structured reason a gate may give with a refusal ({@link Admission#refused(String, RefusalDetail)}), for
 * the limiter to fail the attempt with a more specific exception than {@code PolicyRefusedException}: a
 * {@link DeadDestination} becomes a {@code DeadDestinationException}. A detail the limiter does not know gives
 * a plain {@code PolicyRefusedException}. Implementations are immutable.
 */
public interface RefusalDetail {
}
