package io.halfopen.sim.run;

/**
 * Where a long run says how far it is; the console's progress bar listens. Called on the simulation's thread,
 * at most a few thousand times per run.
 */
public interface Progress {

    /** Listens to nothing. */
    Progress NONE = new Progress() {
    };

    /**
     * A part of the work began.
     *
     * @param label what it is, such as the policy
     * @param total how many units it has
     */
    default void begin(final String label, final long total) {
    }

    /**
     * Units of the current part are done.
     *
     * @param done units done so far in this part
     */
    default void advance(final long done) {
    }

    /** The current part ended. */
    default void end() {
    }
}
