package io.halfopen.sim.host;

/**
 * Observes one simulated host's attempts, for metrics. Called on the simulation's thread, in event order.
 * {@link #ended} is called exactly once per submitted attempt, after the limiter has been told the outcome.
 *
 * <p>The {@link Connect} of a {@link #submitted} or {@link #queued} call may be a description that is reused for
 * the next submission ({@link DeferredConnects}, an open-loop scanner's): read it during the call. Only a benign
 * stream's attempts are always their own {@code Connect} from submission to end.
 */
public interface HostRecorder {

    /** Records nothing. */
    HostRecorder NONE = new HostRecorder() {
    };

    /**
     * An attempt asked the limiter for a slot.
     *
     * @param connect the attempt
     */
    default void submitted(final Connect connect) {
    }

    /**
     * An attempt did not get a slot at once: it waits in the limiter's queue.
     *
     * @param connect the attempt
     */
    default void queued(final Connect connect) {
    }

    /**
     * An attempt got its slot; its SYN goes now.
     *
     * @param connect the attempt
     */
    default void granted(final Connect connect) {
    }

    /**
     * An attempt ended.
     *
     * @param connect the attempt
     * @param ending  how
     */
    default void ended(final Connect connect, final Ending ending) {
    }
}
