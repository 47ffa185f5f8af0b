package io.halfopen.policy;

/**
 * Something a gate reports about its own rule, beside event 4226: Williamson's delay queue reaching its high
 * watermark (the infection signal), a scan detector's verdict. Gates raise them through their
 * {@link PolicyContext#listener()}; the limiter passes them to its listeners and its log, the simulator to its
 * recorder. Implementations are immutable records, one per kind of event, named after it.
 */
public interface PolicyEvent {

    /**
     * Returns the policy that raised it, as it writes itself ({@link AdmissionPolicy#spec()}, else its name).
     *
     * @return the policy
     */
    String policy();

    /**
     * Returns when it happened, on the gate's {@link PolicyContext#ticker()}.
     *
     * @return the time in nanoseconds
     */
    long nanoTime();

    /**
     * Returns one line that says what happened and why, for a log.
     *
     * @return the description
     */
    String description();
}
